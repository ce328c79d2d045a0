"""Database engines (SQLite tuned for the embedded set-up) and sessions off the event loop.

Tables are declared on two separate bases: the billing stub's (``bot.billing.models``)
and the project's own state (``bot.state.base``, migrated by Alembic).
"""

from __future__ import annotations

import asyncio
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, create_engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool, QueuePool, StaticPool

T = TypeVar("T")


def make_engine(url: str, *, autocommit: bool = False) -> Engine:
    """Create an engine for ``url``; SQLite gets WAL mode and its folder created.

    ``autocommit``: every statement commits on its own (set once per connection).
    """
    parsed = make_url(url)
    isolation: dict[str, Any] = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True, **isolation)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # SQLite stores NUMERIC as float; values are quantized back on read.
    warnings.filterwarnings("ignore", message=".*support Decimal objects natively.*")
    return sqlite_engine(url, **isolation)


def read_only_engine(url: str) -> Engine:
    """An engine that only reads another program's database (Rasa's tracker store).

    SQLite opens the file read-only (and creates nothing when it is missing);
    PostgreSQL sessions start read-only.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ValueError("a read-only SQLite database needs a file")
        uri = f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
        return create_engine(uri, future=True, poolclass=NullPool, connect_args={"timeout": 5})
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        options["connect_args"] = {"options": "-c default_transaction_read_only=on"}
    return create_engine(url, future=True, pool_pre_ping=True, **options)


def sqlite_engine(
    url: str | URL, *, foreign_keys: bool = True, future: bool = True, **options: Any
) -> Engine:
    """An engine on a SQLite database with pooled connections in WAL mode.

    SQLAlchemy 1.4 opens a new SQLite connection for every session by default (and
    this project sets pragmas on each): a tenth of the Rasa server's CPU under load.
    A pool keeps them; a connection serves one thread at a time.
    """
    memory = make_url(url).database in (None, "", ":memory:")
    pool: dict[str, Any] = (
        {"poolclass": StaticPool} if memory else {"poolclass": QueuePool, "pool_size": 8}
    )
    connect_args = {"timeout": 15, "check_same_thread": False}
    engine = create_engine(url, future=future, connect_args=connect_args, **pool, **options)
    event.listen(engine, "connect", _sqlite_pragmas if foreign_keys else _fast_durable)
    if not memory:
        _reopen_when_replaced(engine, Path(str(make_url(url).database)))
    return engine


def _reopen_when_replaced(engine: Engine, path: Path) -> None:
    """A pooled connection to a file that was moved or deleted is dropped on checkout,
    so the next one opens what is at the path now (as unpooled connections did).
    Replacing a live database in WAL mode is still unsafe: stop the servers first."""

    name = os.fspath(path)

    def identity() -> tuple[int, int] | None:
        try:
            found = os.stat(name)
        except OSError:
            return None
        return (found.st_dev, found.st_ino)

    def on_connect(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        record.info["file"] = identity()

    def on_checkout(_dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        opened = record.info.get("file")
        if opened is None or identity() != opened:
            raise DisconnectionError(f"{path.name} was moved or replaced")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "checkout", on_checkout)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    _fast_durable(dbapi_connection)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _fast_durable(dbapi_connection, _record=None) -> None:  # type: ignore[no-untyped-def]
    """WAL with synchronous=NORMAL: a commit survives a process crash, and costs no fsync
    (only a power cut can lose the last commits)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


async def in_session(engine: Engine, work: Callable[[Session], T]) -> T:
    """Run ``work`` with a fresh session in a worker thread (keeps the event loop free)."""

    def run() -> T:
        with Session(engine, future=True) as session:
            return work(session)

    return await asyncio.to_thread(run)
