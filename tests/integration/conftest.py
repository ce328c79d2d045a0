"""A real SQLite billing database seeded with the demo data, and a migrated state database,
per test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.billing.seed import seed_database
from bot.billing.sql import SqlBillingService
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.state.schema import migrate
from bot.storage.db import make_engine
from tests.fakes import NOW, SEED


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'db' / 'billing.db'}")
    assert seed_database(engine, SEED, as_of=NOW.date())
    yield engine
    engine.dispose()


@pytest.fixture
def state_engine(tmp_path: Path) -> Iterator[Engine]:
    """The project's own state, migrated like a real one."""
    engine = make_engine(f"sqlite:///{tmp_path / 'db' / 'state.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def billing(engine: Engine) -> SqlBillingService:
    return SqlBillingService(engine, clock=lambda: NOW)


class Clock:
    """A settable clock."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def handoffs(state_engine: Engine, clock: Clock) -> SqlHandoffQueue:
    return SqlHandoffQueue(state_engine, clock=clock)
