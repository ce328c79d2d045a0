"""The desk's contract: ``FakeHandoffDesk`` (the console's page tests) and ``RasaHandoffDesk``
(on a migrated state database, with Rasa's API and billing behind it) follow the same
rules: one claim per case, only the claiming agent replies and resolves, an unknown case
is a ``DeskError``, and the queue counts waiting and claimed cases apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.handoff.desk import DeskError, HandoffDesk
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.handoff.queue import HandoffReason, HandoffStatus
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.stats import StatsStore
from bot.state.schema import migrate
from tests.contracts.conftest import FAKE_AND_REAL
from tests.fakes import NOW, Clock, FakeBillingService, FakeHandoffDesk, FakeRasaAdmin

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
C2 = "+8613800000002"


@dataclass
class DeskUnderTest:
    """A desk, and how a test queues a case on it (as the handoff action would)."""

    desk: HandoffDesk
    open_case: Callable[[], Awaitable[int]]


@pytest.fixture(params=FAKE_AND_REAL)
def desk(request: pytest.FixtureRequest, db: Callable[..., Engine], clock: Clock) -> DeskUnderTest:
    if request.param == "fake":
        fake = FakeHandoffDesk()

        async def add() -> int:
            case_id = len(fake.cases) + 1
            fake.add(case_id, msisdn=C2, channel="sms")
            return case_id

        return DeskUnderTest(fake, add)
    engine = db("state.db")
    migrate(engine)
    queue = SqlHandoffQueue(engine, clock=clock)
    real = RasaHandoffDesk(
        queue,
        FakeRasaAdmin(),
        FakeBillingService(clock=clock),
        StatsStore(engine, clock=clock),
        DOMAIN,
        clock=clock,
    )

    async def create() -> int:  # each case on a conversation of its own
        conversation = f"+86138000001{len(await queue.all_cases()):02d}"
        case = await queue.create(conversation, C2, "sms", "zh", HandoffReason.CUSTOMER_REQUEST)
        return case.id

    return DeskUnderTest(real, create)


async def test_a_new_case_waits_in_the_queue(desk: DeskUnderTest) -> None:
    case_id = await desk.open_case()
    page = await desk.desk.queue()
    assert (page.waiting_total, page.claimed_total) == (1, 0)
    assert [s.case.id for s in page.summaries] == [case_id]
    assert page.summaries[0].case.status == HandoffStatus.WAITING
    view = await desk.desk.case(case_id)
    assert (view.summary.case.id, view.summary.case.msisdn) == (case_id, C2)


async def test_a_claimed_case_is_counted_apart(desk: DeskUnderTest) -> None:
    first, second = await desk.open_case(), await desk.open_case()
    await desk.desk.claim(first, "alice")
    page = await desk.desk.queue()
    assert (page.waiting_total, page.claimed_total) == (1, 1)
    assert {s.case.id: s.case.claimed_by for s in page.summaries} == {first: "alice", second: None}
    view = await desk.desk.case(first)
    assert (view.summary.case.status, view.summary.case.claimed_by) == (
        HandoffStatus.CLAIMED,
        "alice",
    )


async def test_a_case_is_claimed_once(desk: DeskUnderTest) -> None:
    case_id = await desk.open_case()
    await desk.desk.claim(case_id, "alice")
    with pytest.raises(DeskError):
        await desk.desk.claim(case_id, "bob")
    assert (await desk.desk.case(case_id)).summary.case.claimed_by == "alice"


async def test_only_the_claiming_agent_replies_and_resolves(desk: DeskUnderTest) -> None:
    case_id = await desk.open_case()
    with pytest.raises(DeskError):
        await desk.desk.reply(case_id, "alice", "您好")  # not claimed yet
    await desk.desk.claim(case_id, "alice")
    with pytest.raises(DeskError):
        await desk.desk.reply(case_id, "bob", "您好")
    with pytest.raises(DeskError):
        await desk.desk.resolve(case_id, "bob", "done")
    await desk.desk.reply(case_id, "alice", "您好，我来帮您")
    lines = (await desk.desk.case(case_id)).transcript
    assert [(line.speaker, line.text) for line in lines][-1:] == [("agent", "您好，我来帮您")]


async def test_a_resolved_case_leaves_the_queue(desk: DeskUnderTest, clock: Clock) -> None:
    case_id = await desk.open_case()
    await desk.desk.claim(case_id, "alice")
    clock.now = NOW + dt.timedelta(minutes=5)
    await desk.desk.resolve(case_id, "alice", "balance explained")
    page = await desk.desk.queue()
    assert (page.waiting_total, page.claimed_total, page.summaries) == (0, 0, [])
    assert (await desk.desk.case(case_id)).summary.case.status == HandoffStatus.RESOLVED
    with pytest.raises(DeskError):
        await desk.desk.reply(case_id, "alice", "还有吗？")


async def test_an_unknown_case_is_a_desk_error(desk: DeskUnderTest) -> None:
    with pytest.raises(DeskError):
        await desk.desk.case(404)
    with pytest.raises(DeskError):
        await desk.desk.claim(404, "alice")
