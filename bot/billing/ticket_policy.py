"""The ticket clock: when a complaint is due, what is overdue, and which updates a ticket takes.

Every billing adapter computes due times and checks updates here, so the stub and
the fake cannot drift apart; the console orders its Tickets page with ``work_order``.

- First contact: 10 minutes for an escalated repeat complaint, 48 hours otherwise.
- Resolution: a target per category, counted from filing.
- While a ticket is open its pending deadline is the first contact; the first status
  change (which the customer is sent) is that contact, and from then on, while in
  progress, the pending deadline is the resolution. Resolved and closed tickets have none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.billing.port import (
    ComplaintCategory,
    Ticket,
    TicketDue,
    TicketStatus,
    TicketUpdateRefused,
)

FIRST_CONTACT = dt.timedelta(hours=48)
FIRST_CONTACT_ESCALATED = dt.timedelta(minutes=10)
RESOLUTION: dict[ComplaintCategory, dt.timedelta] = {
    ComplaintCategory.NETWORK: dt.timedelta(days=3),
    ComplaintCategory.BROADBAND: dt.timedelta(days=3),
    ComplaintCategory.BILLING: dt.timedelta(days=5),
    ComplaintCategory.SERVICE: dt.timedelta(days=5),
    ComplaintCategory.SPAM: dt.timedelta(days=7),
    ComplaintCategory.OTHER: dt.timedelta(days=7),
    ComplaintCategory.ADJUSTMENT: dt.timedelta(days=5),
}
MAX_UPDATE = 1000  # characters of an update's text


def due_times(category: ComplaintCategory, escalated: bool, filed_at: dt.datetime) -> TicketDue:
    """The deadlines of a ticket filed at ``filed_at``."""
    first = FIRST_CONTACT_ESCALATED if escalated else FIRST_CONTACT
    return TicketDue(first_contact=filed_at + first, resolution=filed_at + RESOLUTION[category])


def due_of(ticket: Ticket) -> TicketDue:
    """The ticket's recorded deadlines; for a ticket filed before they were recorded, the
    policy's."""
    return ticket.due or due_times(ticket.category, ticket.escalated, ticket.created_at)


def pending_due(ticket: Ticket) -> dt.datetime | None:
    """The deadline the ticket is working towards now (None: resolved or closed)."""
    if ticket.status == TicketStatus.OPEN:
        return due_of(ticket).first_contact
    if ticket.status == TicketStatus.IN_PROGRESS:
        return due_of(ticket).resolution
    return None


def is_overdue(ticket: Ticket, now: dt.datetime) -> bool:
    """Whether the pending deadline has passed."""
    due = pending_due(ticket)
    return due is not None and due < now


def work_order(tickets: Iterable[Ticket], now: dt.datetime) -> list[Ticket]:
    """Tickets still being worked: overdue ones first, then by pending deadline (then id)."""
    worked = [t for t in tickets if pending_due(t) is not None]
    return sorted(worked, key=lambda t: (not is_overdue(t, now), pending_due(t), t.ticket_id))


def checked_update(
    ticket: Ticket, text: str, status: TicketStatus | None
) -> tuple[str, TicketStatus | None]:
    """The update as it is recorded: text stripped, an unchanged status as None.

    Raises ``TicketUpdateRefused`` for a closed ticket, a ticket set back to open,
    closing without a note, an update with neither text nor status change, or a text
    over ``MAX_UPDATE`` characters.
    """
    text = text.strip()
    if ticket.status == TicketStatus.CLOSED:
        raise TicketUpdateRefused(f"ticket {ticket.ticket_id} is closed")
    if len(text) > MAX_UPDATE:
        raise TicketUpdateRefused(f"an update has at most {MAX_UPDATE} characters")
    if status == ticket.status:
        status = None
    if status == TicketStatus.OPEN:
        raise TicketUpdateRefused("a ticket cannot be set back to open")
    if status == TicketStatus.CLOSED and not text:
        raise TicketUpdateRefused("closing a ticket needs a note")
    if status is None and not text:
        raise TicketUpdateRefused("an update needs a text or a new status")
    return text, status
