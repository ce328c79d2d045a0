"""Bring the project's own tables to the newest revision with Alembic.

Every process that uses the state database calls :func:`migrate` when it opens it
(idempotent and quick when the database is current); ``telecom-assistant migrate``
does it explicitly. Concurrent callers are serialised: a file lock beside a SQLite
database, an advisory lock on PostgreSQL. Migrations only add: nothing here drops
a table or deletes a row.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine, make_url

MIGRATIONS = Path(__file__).with_name("migrations")
_ADVISORY_KEY = 720_010_086  # any constant shared by every process of the project


def state_models() -> None:
    """Register every table of the project's own state (``bot.state.tables``, ``desk_tables``)."""
    from bot.state import desk_tables as _desk  # noqa: F401  (registers the tables)
    from bot.state import tables as _tables  # noqa: F401


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the state migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision of the code."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> None:
    """Upgrade the state database to the newest revision (creates it when empty)."""
    with _exclusive(engine) as connection:
        if MigrationContext.configure(connection).get_current_revision() == head_revision():
            return
        command.upgrade(alembic_config(connection), "head")
        connection.commit()


@contextlib.contextmanager
def _exclusive(engine: Engine) -> Iterator[Connection]:
    """A connection held while no other process migrates the same database."""
    url = make_url(str(engine.url))
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        lock_path = Path(f"{url.database}.migrate.lock")
        with lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                with engine.connect() as connection:
                    yield connection
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with engine.connect() as connection:
        if url.get_backend_name() == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _ADVISORY_KEY})
            connection.commit()
        try:
            yield connection
        finally:
            if url.get_backend_name() == "postgresql":
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_KEY})
                connection.commit()


def state_engine(url: str, *, autocommit: bool = False) -> Engine:
    """An engine on the state database at ``url``, migrated to the newest revision."""
    from bot.storage.db import make_engine

    engine = make_engine(url, autocommit=autocommit)
    migrate(engine)
    return engine
