"""Live push: one tail of the desk's change log per process, fanned out to every stream."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sanic.request import Request
from sqlalchemy.engine import Engine

from bot.console.live.hub import LiveHub
from bot.console.live.stream import control_frame, event_frame, resume_after
from bot.domain.ids import WEB
from bot.handoff.customer_messages import HandoverMessages
from bot.handoff.desk_events import DeskEvent, DeskEventKind, DeskEventLog
from bot.handoff.queue import HandoffError, HandoffReason
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.state.ticket_origins import TicketOrigin, TicketOrigins
from tests.fakes import NOW
from tests.fakes.services import memory_engine


class CountingLog(DeskEventLog):
    """The real log, counting reads (the hub must read once per round, not per browser)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, clock=lambda: NOW)
        self.reads = 0

    async def since(self, after_id: int, limit: int = 100) -> list[DeskEvent]:
        self.reads += 1
        return await super().since(after_id, limit)


@pytest.fixture
def log() -> CountingLog:
    return CountingLog(memory_engine())


async def test_one_read_reaches_every_subscriber_in_order(log: CountingLog) -> None:
    hub = LiveHub(log, interval=60)  # the test reads the log itself
    subscribers = [await hub.subscribe() for _ in range(3)]
    await log.append(DeskEventKind.CASE_OPENED, handoff_id=1)
    await log.append(DeskEventKind.CASE_CLAIMED, handoff_id=1, agent="ann")
    assert await hub.poll_once() == 2
    assert log.reads == 1
    for subscriber in subscribers:
        first, second = await subscriber.next(0.1), await subscriber.next(0.1)
        assert first is not None and second is not None
        assert (first.kind, second.kind, second.agent) == ("case_opened", "case_claimed", "ann")
        assert await subscriber.next(0.01) is None  # nothing more
        assert hub.cursor == second.id
    await hub.stop()


async def test_a_new_subscriber_starts_after_the_newest_entry(log: CountingLog) -> None:
    await log.append(DeskEventKind.CASE_OPENED, handoff_id=1)
    hub = LiveHub(log, interval=60)  # the test reads the log itself
    subscriber = await hub.subscribe()
    await log.append(DeskEventKind.CASE_OPENED, handoff_id=2)
    await hub.poll_once()
    event = await subscriber.next(0.1)
    assert event is not None and event.handoff_id == 2
    assert await subscriber.next(0.01) is None
    await hub.stop()


async def test_a_subscriber_that_falls_behind_is_dropped_the_others_are_not(
    log: CountingLog,
) -> None:
    hub = LiveHub(log, interval=60, queue_size=2)
    slow, fast = await hub.subscribe(), await hub.subscribe()
    for case_id in (1, 2, 3):
        await log.append(DeskEventKind.CASE_OPENED, handoff_id=case_id)
    await hub.poll_once()
    assert slow.lost and fast.lost  # neither read: both overflowed
    hub.unsubscribe(slow)
    hub.unsubscribe(fast)
    reader = await hub.subscribe()
    await log.append(DeskEventKind.CASE_OPENED, handoff_id=4)
    await hub.poll_once()
    assert not reader.lost and (await reader.next(0.1)) is not None
    assert hub.subscribers == 1
    await hub.stop()


async def test_the_tail_reads_only_while_someone_listens_and_delivers_in_time(
    log: CountingLog,
) -> None:
    hub = LiveHub(log, interval=0.05)
    hub.start()
    await asyncio.sleep(0.2)
    assert log.reads == 0  # nobody listens: no query
    subscriber = await hub.subscribe()
    queue = SqlHandoffQueue(log._engine, clock=lambda: NOW)
    case = await queue.create("web-abc", None, WEB, "zh", HandoffReason.CUSTOMER_REQUEST)
    started = asyncio.get_running_loop().time()
    event = await subscriber.next(1.0)
    assert event is not None and event.kind == "case_opened" and event.handoff_id == case.id
    assert asyncio.get_running_loop().time() - started < 1.0
    others = [await hub.subscribe() for _ in range(9)]
    reads = log.reads
    await asyncio.sleep(0.5)
    assert 1 <= log.reads - reads <= 0.5 / 0.05 + 1  # one read per interval for all ten
    assert hub.subscribers == 10 and not any(other.lost for other in others)
    await hub.stop()


async def test_the_queue_records_opened_claimed_resolved_in_its_transactions(
    log: CountingLog,
) -> None:
    queue = SqlHandoffQueue(log._engine, clock=lambda: NOW)
    case = await queue.create("web-abc", None, WEB, "zh", HandoffReason.CUSTOMER_REQUEST)
    await queue.create("web-abc", None, WEB, "zh", HandoffReason.CUSTOMER_REQUEST)  # same
    await queue.claim(case.id, "ann")
    with pytest.raises(HandoffError):
        await queue.claim(case.id, "bob")  # lost the race: nothing recorded
    await queue.resolve(case.id, "ann", "done")
    events = await log.since(0)
    assert [(e.kind, e.handoff_id, e.agent) for e in events] == [
        ("case_opened", case.id, None),
        ("case_claimed", case.id, "ann"),
        ("case_resolved", case.id, "ann"),
    ]


async def test_a_customer_message_is_noted_only_on_an_open_case(log: CountingLog) -> None:
    queue = SqlHandoffQueue(log._engine, clock=lambda: NOW)
    messages = HandoverMessages(log._engine, clock=lambda: NOW)
    assert await messages.seen("web-abc") is None
    case = await queue.create("web-abc", None, WEB, "zh", HandoffReason.CUSTOMER_REQUEST)
    assert await messages.seen("web-abc") == case.id
    events = await log.since(0)
    assert [(e.kind, e.handoff_id) for e in events][-1] == ("customer_message", case.id)


async def test_filing_a_ticket_records_ticket_opened(log: CountingLog) -> None:
    origins = TicketOrigins(log._engine, clock=lambda: NOW)
    await origins.record(TicketOrigin("TK2611280001", "web-abc", WEB, "zh"))
    events = await log.since(0)
    assert [(e.kind, e.ticket_id) for e in events] == [("ticket_opened", "TK2611280001")]


def test_frames_are_server_sent_events() -> None:
    event = DeskEvent(7, "case_opened", 3, None, None, dt.datetime(2026, 1, 2, 3, 4, 5))
    frame = event_frame(event)
    assert frame.startswith("id: 7\nevent: desk\ndata: {") and frame.endswith("}\n\n")
    assert '"kind": "case_opened"' in frame and '"handoff_id": 3' in frame
    assert control_frame("reset") == "event: reset\ndata: {}\n\n"


@pytest.mark.parametrize(
    ("header", "query", "expected"),
    [("12", "", 12), ("", "after=5", 5), ("", "", None), ("-1", "", None), ("x", "", None)],
)
def test_where_a_reconnecting_browser_resumes(
    header: str, query: str, expected: int | None
) -> None:
    headers = {"last-event-id": header} if header else {}
    request = Request(f"/api/live?{query}".encode(), headers, "1.1", "GET", None, None)  # type: ignore[arg-type]
    assert resume_after(request) == expected
