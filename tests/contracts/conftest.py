"""Each port's implementations side by side: the fake of ``tests/fakes`` and the real adapter
on SQLite (the billing stub seeded with the demo data, a migrated state database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import TicketRow
from bot.billing.port import BillingService, TicketStatus
from bot.billing.seed import seed_database
from bot.billing.sql import SqlBillingService
from bot.channels.sms.deliveries import Deliveries
from bot.handoff.queue import HandoffQueue
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.state.schema import migrate
from bot.state.tables import DeliveryRow
from bot.storage.db import make_engine
from tests.fakes import NOW, SEED, Clock, FakeBillingService, FakeHandoffQueue

FAKE_AND_REAL = ["fake", "sql"]


@pytest.fixture
def clock() -> Clock:
    """The time every implementation reads; a test may move it."""
    return Clock()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Callable[..., Engine]]:
    """Opens SQLite files under the test's folder; every engine is disposed of afterwards."""
    engines: list[Engine] = []

    def open_db(name: str, *, autocommit: bool = False) -> Engine:
        engines.append(make_engine(f"sqlite:///{tmp_path / name}", autocommit=autocommit))
        return engines[-1]

    yield open_db
    for engine in engines:
        engine.dispose()


@dataclass
class BillingUnderTest:
    """A billing implementation, and what a test does to it behind the port's back."""

    service: BillingService
    set_ticket_status: Callable[[str, TicketStatus], None]  # as the operator's staff would
    unreachable: Callable[[], BillingService]  # the same implementation, its backend gone


@pytest.fixture(params=FAKE_AND_REAL)
def billing(
    request: pytest.FixtureRequest, db: Callable[..., Engine], clock: Clock
) -> BillingUnderTest:
    if request.param == "fake":
        return _fake_billing(clock)
    engine = db("billing.db")
    assert seed_database(engine, SEED, as_of=NOW.date())

    def set_ticket_status(ticket_id: str, status: TicketStatus) -> None:
        with Session(engine) as session:
            change = update(TicketRow).where(TicketRow.ticket_id == ticket_id)
            session.execute(change.values(status=status.value))
            session.commit()

    def unreachable() -> BillingService:
        return SqlBillingService(db("no-schema.db"), clock=clock)

    return BillingUnderTest(SqlBillingService(engine, clock=clock), set_ticket_status, unreachable)


def _fake_billing(clock: Clock) -> BillingUnderTest:
    fake = FakeBillingService(clock=clock)

    def set_ticket_status(ticket_id: str, status: TicketStatus) -> None:
        fake.ticket_list = [
            replace(t, status=status) if t.ticket_id == ticket_id else t for t in fake.ticket_list
        ]

    def unreachable() -> BillingService:
        fake.down = True
        return fake

    return BillingUnderTest(fake, set_ticket_status, unreachable)


@pytest.fixture(params=FAKE_AND_REAL)
def queue(request: pytest.FixtureRequest, db: Callable[..., Engine], clock: Clock) -> HandoffQueue:
    if request.param == "fake":
        return FakeHandoffQueue(clock=clock)
    engine = db("state.db")
    migrate(engine)
    return SqlHandoffQueue(engine, clock=clock)


@dataclass
class DeliveriesUnderTest:
    """A deliveries store, and a way to make one of its deliveries older."""

    store: Deliveries
    age: Callable[[tuple[str, str, str], dt.timedelta], None]  # (channel, sender, id), by


@pytest.fixture(params=["sqlite-autocommit", "sqlite-plain"])
def deliveries(request: pytest.FixtureRequest, db: Callable[..., Engine]) -> DeliveriesUnderTest:
    """The SQL store on an autocommit engine (as the SMS channel opens it) and on a plain one.

    No test uses a fake store, so there is none to hold to it; ``tests/scale`` runs the
    store on PostgreSQL.
    """
    engine = db("state.db", autocommit=request.param == "sqlite-autocommit")
    migrate(engine)
    reader = db("state.db")

    def age(key: tuple[str, str, str], by: dt.timedelta) -> None:
        with Session(reader) as session:
            row = session.get(DeliveryRow, key)
            assert row is not None
            row.created_at = row.created_at - by
            session.commit()

    return DeliveriesUnderTest(Deliveries(engine), age)
