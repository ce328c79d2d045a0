"""The ticket clock on a clock the test moves: due times, overdue, working order, the desk's
notices to the customer (through a fake notifier and through Rasa's API, faked)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.billing.port import ComplaintCategory, TicketDue, TicketStatus
from bot.billing.ticket_policy import due_times, is_overdue, pending_due, work_order
from bot.state.ticket_origins import TicketOrigin, TicketOrigins
from bot.tickets.desk import Delivery, TicketDesk, TicketDeskError
from bot.tickets.notify import RasaTicketNotifier, TicketNotifier, TicketNotifyError
from tests.fakes import NOW, Clock, FakeBillingService, FakeRasaAdmin, memory_engine
from tests.fakes.tickets import FakeTicketNotifier

ROOT = Path(__file__).resolve().parents[2]
C1, C4 = "+8613800000001", "+8613800000004"  # a Chinese-speaking and an English-speaking customer
NETWORK, BILLING = ComplaintCategory.NETWORK, ComplaintCategory.BILLING
MINUTE, HOUR, DAY = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("category", "escalated", "first", "resolution"),
    [
        (NETWORK, False, 48 * HOUR, 3 * DAY),
        (NETWORK, True, 10 * MINUTE, 3 * DAY),
        (BILLING, False, 48 * HOUR, 5 * DAY),
        (ComplaintCategory.SPAM, True, 10 * MINUTE, 7 * DAY),
    ],
)
def test_due_times(
    category: ComplaintCategory, escalated: bool, first: dt.timedelta, resolution: dt.timedelta
) -> None:
    assert due_times(category, escalated, NOW) == TicketDue(NOW + first, NOW + resolution)


def test_every_resolution_target_comes_after_the_first_contact() -> None:
    for category in ComplaintCategory:
        due = due_times(category, False, NOW)
        assert due.resolution > due.first_contact


async def test_the_clock_runs_from_first_contact_to_resolution() -> None:
    clock = Clock()
    billing = FakeBillingService(clock=clock)
    ticket = await billing.create_ticket(C1, NETWORK, "No signal", None, True)
    assert pending_due(ticket) == NOW + 10 * MINUTE
    clock.now = NOW + 10 * MINUTE
    assert not is_overdue(ticket, clock())  # due at that minute, not yet late
    clock.now += dt.timedelta(seconds=1)
    assert is_overdue(ticket, clock())
    working = await billing.update_ticket(ticket.ticket_id, "ann", "", TicketStatus.IN_PROGRESS)
    assert pending_due(working) == NOW + 3 * DAY and not is_overdue(working, clock())
    clock.now = NOW + 3 * DAY + MINUTE
    assert is_overdue(working, clock())
    done = await billing.update_ticket(ticket.ticket_id, "ann", "Fixed", TicketStatus.RESOLVED)
    assert pending_due(done) is None and not is_overdue(done, clock())


async def test_overdue_first_then_by_due_time() -> None:
    clock = Clock()
    billing = FakeBillingService(clock=clock)

    async def file(category: ComplaintCategory, escalated: bool = False) -> str:
        return (await billing.create_ticket(C1, category, "x", None, escalated)).ticket_id

    old_normal = await file(NETWORK)  # first contact NOW + 48 h
    clock.now = NOW + HOUR
    urgent_late = await file(NETWORK, escalated=True)  # NOW + 1 h 10 min
    clock.now = NOW + 46 * HOUR
    urgent_fresh = await file(BILLING, escalated=True)  # NOW + 46 h 10 min
    fresh = await file(BILLING)  # NOW + 94 h
    resolved = await file(BILLING)
    await billing.update_ticket(resolved, "ann", "Refunded", TicketStatus.RESOLVED)
    tickets = await billing.open_tickets()

    clock.now = NOW + 47 * HOUR  # only the escalated ones are late
    order = [t.ticket_id for t in work_order(tickets, clock())]
    assert order == [urgent_late, urgent_fresh, old_normal, fresh]
    late = {t.ticket_id for t in tickets if is_overdue(t, clock())}
    assert late == {urgent_late, urgent_fresh}

    clock.now = NOW + 49 * HOUR  # the first normal one is late too: still due order
    assert [t.ticket_id for t in work_order(tickets, clock())] == order

    # In progress, a ticket waits for its resolution (NOW + 1 h + 3 days): no longer late.
    await billing.update_ticket(urgent_late, "ann", "On it", TicketStatus.IN_PROGRESS)
    order = [t.ticket_id for t in work_order(await billing.open_tickets(), clock())]
    assert order == [urgent_fresh, old_normal, urgent_late, fresh]


def desk(
    billing: FakeBillingService, notifier: TicketNotifier, clock: Clock
) -> tuple[TicketDesk, TicketOrigins]:
    origins = TicketOrigins(memory_engine())
    return TicketDesk(billing, origins, notifier, ROOT / "domain", clock=clock), origins


async def test_a_status_change_is_sent_in_the_customers_language() -> None:
    clock, notifier = Clock(), FakeTicketNotifier()
    billing = FakeBillingService(clock=clock)
    ticket_desk, origins = desk(billing, notifier, clock)
    ticket = await billing.create_ticket(C4, BILLING, "Charged twice", None, False)
    origin = TicketOrigin(ticket.ticket_id, "tg-42", "telegram", "en")
    await origins.record(origin)

    noted = await ticket_desk.update(ticket.ticket_id, "ann", "Checking the roaming charge", None)
    assert noted == Delivery.NOT_SENT and notifier.sent == []
    sent = await ticket_desk.update(
        ticket.ticket_id, "ann", "Refund of 12 yuan approved", TicketStatus.RESOLVED
    )
    assert sent == Delivery.SENT
    assert notifier.sent == [
        (
            origin,
            f"Your complaint ticket {ticket.ticket_id} is now: resolved. "
            "Note from our team: Refund of 12 yuan approved",
        )
    ]
    view = await ticket_desk.ticket(ticket.ticket_id.lower())
    assert view.origin == origin and [u.author for u in view.updates] == ["ann", "ann"]


async def test_without_a_recorded_origin_the_customer_gets_an_sms() -> None:
    clock, notifier = Clock(), FakeTicketNotifier()
    billing = FakeBillingService(clock=clock)
    ticket_desk, _ = desk(billing, notifier, clock)
    ticket = await billing.create_ticket(C1, NETWORK, "没信号", "望京", False)
    await ticket_desk.update(ticket.ticket_id, "ann", "", TicketStatus.IN_PROGRESS)
    ((origin, text),) = notifier.sent
    assert (origin.conversation_id, origin.channel, origin.language) == (C1, "sms", "zh")
    assert text == f"您的投诉工单{ticket.ticket_id}有新进展：处理中。"


async def test_a_failed_notice_keeps_the_update_and_a_refusal_is_a_desk_error() -> None:
    clock, notifier = Clock(), FakeTicketNotifier(fail=True)
    billing = FakeBillingService(clock=clock)
    ticket_desk, _ = desk(billing, notifier, clock)
    ticket = await billing.create_ticket(C1, NETWORK, "No signal", None, False)
    result = await ticket_desk.update(ticket.ticket_id, "ann", "", TicketStatus.IN_PROGRESS)
    assert result == Delivery.FAILED
    assert (await billing.find_ticket(ticket.ticket_id)).status == TicketStatus.IN_PROGRESS
    with pytest.raises(TicketDeskError, match="needs a note"):
        await ticket_desk.update(ticket.ticket_id, "ann", "", TicketStatus.CLOSED)
    with pytest.raises(TicketDeskError):
        await ticket_desk.ticket("TK2611289999")
    billing.down = True
    with pytest.raises(TicketDeskError):
        await ticket_desk.open_tickets()


async def test_rasa_notifier_posts_on_the_tickets_channel() -> None:
    rasa, clock = FakeRasaAdmin(), Clock()
    notifier = RasaTicketNotifier(rasa, clock=clock)
    await notifier.send(TicketOrigin("TK2611280001", C1, "sms", "zh"), "hello")
    ((conversation, event),) = rasa.delivered
    assert (conversation, rasa.delivered_on) == (C1, ["sms"])
    assert event["text"] == "hello" and event["metadata"] == {"ticket": "TK2611280001"}
    assert rasa.conversations[C1][-1] == {"event": "action", "name": "action_listen"}
    with pytest.raises(TicketNotifyError):  # an id not of that channel's form never reaches Rasa
        await notifier.send(TicketOrigin("TK2611280001", "tg-1", "sms", "zh"), "hello")
    assert len(rasa.delivered) == 1
