"""Pooled SQLite connections follow the file at the configured path."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.storage.db import make_engine


def count(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM t")).scalar())


def test_a_moved_database_is_noticed_and_found_again(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
    assert count(engine) == 1
    files = [path, tmp_path / "b.db-wal", tmp_path / "b.db-shm"]
    for file in files:
        file.rename(file.with_suffix(file.suffix + ".away"))
    with pytest.raises(OperationalError, match="no such table"):
        count(engine)  # a fresh, empty file: the database is down
    for file in files:
        file.unlink(missing_ok=True)
        file.with_suffix(file.suffix + ".away").rename(file)
    assert count(engine) == 1


def test_connections_are_reused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    with engine.connect() as connection:
        first = connection.connection.dbapi_connection
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection is first
