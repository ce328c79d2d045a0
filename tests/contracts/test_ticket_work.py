"""Ticket work in the billing port's contract: due times, agents' updates, the open list.

``FakeBillingService`` and ``SqlBillingService`` answer alike, on a clock the test moves.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.billing.port import (
    BillingUnavailable,
    ComplaintCategory,
    TicketDue,
    TicketNotFound,
    TicketStatus,
    TicketUpdate,
    TicketUpdateRefused,
)
from tests.contracts.conftest import BillingUnderTest
from tests.fakes import NOW, Clock

C1, C3 = "+8613800000001", "+8613800000003"
NETWORK, BILLING, SPAM = (
    ComplaintCategory.NETWORK,
    ComplaintCategory.BILLING,
    ComplaintCategory.SPAM,
)
MINUTE, HOUR, DAY = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)


async def file(
    billing: BillingUnderTest,
    category: ComplaintCategory = NETWORK,
    escalated: bool = False,
    msisdn: str = C1,
) -> str:
    ticket = await billing.service.create_ticket(msisdn, category, "No signal", None, escalated)
    return ticket.ticket_id


async def test_a_new_ticket_is_due_in_48_hours_and_by_its_category(
    billing: BillingUnderTest,
) -> None:
    ticket = await billing.service.create_ticket(C1, BILLING, "Charged twice", None, False)
    assert ticket.due == TicketDue(NOW + 48 * HOUR, NOW + 5 * DAY)
    assert ticket.latest_update is None
    assert (await billing.service.get_ticket(C1, ticket.ticket_id)) == ticket
    assert (await billing.service.tickets(C1)) == [ticket]


async def test_an_escalated_repeat_complaint_is_due_in_10_minutes(
    billing: BillingUnderTest,
) -> None:
    ticket = await billing.service.create_ticket(C1, NETWORK, "Again", "Nanshan", True)
    assert ticket.due == TicketDue(NOW + 10 * MINUTE, NOW + 3 * DAY)


async def test_due_times_are_fixed_when_filed(billing: BillingUnderTest, clock: Clock) -> None:
    ticket_id = await file(billing, SPAM)
    clock.now = NOW + 2 * DAY
    ticket = await billing.service.find_ticket(ticket_id)
    assert ticket.due == TicketDue(NOW + 48 * HOUR, NOW + 7 * DAY)


async def test_open_tickets_of_every_customer_earliest_deadline_first(
    billing: BillingUnderTest, clock: Clock
) -> None:
    slow = await file(billing, NETWORK)  # first contact NOW + 48 h
    clock.now = NOW + HOUR
    urgent = await file(billing, NETWORK, escalated=True, msisdn=C3)  # NOW + 1 h 10 min
    working = await file(billing, SPAM)
    done = await file(billing, BILLING)
    await billing.service.update_ticket(working, "ann", "Looking into it", TicketStatus.IN_PROGRESS)
    await billing.service.update_ticket(done, "ann", "Refunded", TicketStatus.RESOLVED)
    # ``working`` now waits for its resolution: NOW + 1 h + 7 days.
    assert [t.ticket_id for t in await billing.service.open_tickets()] == [urgent, slow, working]


async def test_an_update_is_recorded_with_author_time_and_status(
    billing: BillingUnderTest, clock: Clock
) -> None:
    ticket_id = await file(billing)
    clock.now = NOW + 5 * MINUTE
    ticket = await billing.service.update_ticket(
        ticket_id, "ann", "  We are checking the cell near you.  ", TicketStatus.IN_PROGRESS
    )
    first = TicketUpdate(
        ticket_id,
        "ann",
        NOW + 5 * MINUTE,
        "We are checking the cell near you.",
        TicketStatus.IN_PROGRESS,
    )
    assert (ticket.status, ticket.latest_update) == (TicketStatus.IN_PROGRESS, first)
    clock.now = NOW + HOUR
    await billing.service.update_ticket(ticket_id, "bob", "Engineer booked for tomorrow")
    note = TicketUpdate(ticket_id, "bob", NOW + HOUR, "Engineer booked for tomorrow", None)
    assert await billing.service.ticket_updates(ticket_id) == [first, note]
    seen = await billing.service.get_ticket(C1, ticket_id.lower())
    assert (seen.status, seen.latest_update) == (TicketStatus.IN_PROGRESS, note)


async def test_the_same_status_again_is_a_note(billing: BillingUnderTest) -> None:
    ticket_id = await file(billing)
    ticket = await billing.service.update_ticket(ticket_id, "ann", "Still open", TicketStatus.OPEN)
    assert ticket.latest_update is not None and ticket.latest_update.status is None


async def test_closing_needs_a_note_and_is_final(billing: BillingUnderTest) -> None:
    ticket_id = await file(billing)
    with pytest.raises(TicketUpdateRefused, match="note"):
        await billing.service.update_ticket(ticket_id, "ann", "   ", TicketStatus.CLOSED)
    closed = await billing.service.update_ticket(
        ticket_id, "ann", "Duplicate of an earlier ticket", TicketStatus.CLOSED
    )
    assert closed.status == TicketStatus.CLOSED
    assert await billing.service.open_tickets() == []
    assert await billing.service.tickets(C1, open_only=True) == []
    with pytest.raises(TicketUpdateRefused, match="closed"):
        await billing.service.update_ticket(ticket_id, "ann", "reopen?", TicketStatus.IN_PROGRESS)
    assert len(await billing.service.ticket_updates(ticket_id)) == 1


@pytest.mark.parametrize(
    ("text", "status", "problem"),
    [
        ("", None, "text or a new status"),
        ("x" * 1001, None, "at most 1000"),
        ("back to the start", TicketStatus.OPEN, "back to open"),
    ],
)
async def test_updates_that_are_refused(
    billing: BillingUnderTest, text: str, status: TicketStatus | None, problem: str
) -> None:
    ticket_id = await file(billing)
    await billing.service.update_ticket(ticket_id, "ann", "", TicketStatus.IN_PROGRESS)
    with pytest.raises(TicketUpdateRefused, match=problem):
        await billing.service.update_ticket(ticket_id, "ann", text, status)
    assert len(await billing.service.ticket_updates(ticket_id)) == 1


async def test_a_resolved_ticket_may_be_reopened_or_closed(billing: BillingUnderTest) -> None:
    ticket_id = await file(billing)
    await billing.service.update_ticket(ticket_id, "ann", "Fixed", TicketStatus.RESOLVED)
    again = await billing.service.update_ticket(
        ticket_id, "ann", "Customer says no", TicketStatus.IN_PROGRESS
    )
    assert again.status == TicketStatus.IN_PROGRESS


@pytest.mark.parametrize("method", ["find_ticket", "ticket_updates"])
async def test_an_unknown_ticket_is_not_found(billing: BillingUnderTest, method: str) -> None:
    with pytest.raises(TicketNotFound):
        await getattr(billing.service, method)("TK2611289999")
    with pytest.raises(TicketNotFound):
        await billing.service.update_ticket("TK2611289999", "ann", "hello")


async def test_agents_find_any_customers_ticket(billing: BillingUnderTest) -> None:
    ticket_id = await file(billing, msisdn=C3)
    assert (await billing.service.find_ticket(ticket_id.lower())).msisdn == C3


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("open_tickets", ()),
        ("find_ticket", ("TK2611280001",)),
        ("ticket_updates", ("TK2611280001",)),
        ("update_ticket", ("TK2611280001", "ann", "hello")),
    ],
)
async def test_ticket_work_fails_alike_when_billing_is_unreachable(
    billing: BillingUnderTest, method: str, args: tuple[str, ...]
) -> None:
    service = billing.unreachable()
    with pytest.raises(BillingUnavailable):
        await getattr(service, method)(*args)
