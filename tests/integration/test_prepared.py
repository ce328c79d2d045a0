"""Prepared statements write and read what SQLAlchemy's own execution does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from bot.storage.db import make_engine
from bot.storage.prepared import PreparedStatement

META = sa.MetaData()
ROWS = sa.Table(
    "rows",
    META,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(32)),
    sa.Column("at", sa.DateTime),
    sa.Column("amount", sa.Float),
)
WHEN = dt.datetime(2026, 11, 28, 20, 30)


def test_same_rows_as_sqlalchemy(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    META.create_all(engine)
    insert = PreparedStatement(
        sa.insert(ROWS).values(
            at=sa.bindparam("at"), amount=sa.bindparam("amount"), name=sa.bindparam("name")
        ),
        engine.dialect,
    )
    with engine.begin() as connection:
        # values in another order than the statement's: they are matched by name
        insert.run(connection, {"name": "prepared", "amount": 1.5, "at": WHEN})
        connection.execute(sa.insert(ROWS).values(name="core", amount=1.5, at=WHEN))
    with engine.connect() as connection:
        rows = connection.execute(sa.select(ROWS.c.name, ROWS.c.at, ROWS.c.amount)).all()
        raw = connection.exec_driver_sql("SELECT name, at FROM rows").all()
    assert [tuple(row) for row in rows] == [("prepared", WHEN, 1.5), ("core", WHEN, 1.5)]
    assert raw[0][1] == raw[1][1]  # the DateTime type's own text form


def test_a_query_by_name(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    META.create_all(engine)
    with engine.begin() as connection:
        connection.execute(sa.insert(ROWS), [{"name": "a", "at": WHEN}, {"name": "b", "at": None}])
    count = PreparedStatement(
        sa.select(sa.func.count()).where(
            ROWS.c.name == sa.bindparam("name"), ROWS.c.at < sa.bindparam("before")
        ),
        engine.dialect,
    )
    with engine.connect() as connection:
        assert count.run(connection, {"name": "a", "before": WHEN + dt.timedelta(1)}).scalar() == 1
        assert count.run(connection, {"name": "a", "before": WHEN}).scalar() == 0
        assert count.run(connection, {"name": "b", "before": WHEN}).scalar() == 0
