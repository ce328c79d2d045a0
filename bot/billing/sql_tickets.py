"""Ticket work on the billing stub's tables: due times, agents' updates, the agents' list.

``SqlBillingService`` runs these in its sessions (``bot.billing.sql``). Due times and
updates live in their own tables beside ``complaint_tickets``, so an existing stub
database only gains tables; a ticket filed before due times were recorded gets the
policy's (``ticket_policy.due_of``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.billing.models import TicketDueRow, TicketRow, TicketUpdateRow
from bot.billing.port import (
    OPEN_TICKET_STATUSES,
    Ticket,
    TicketDue,
    TicketNotFound,
    TicketStatus,
    TicketUpdate,
    TicketUpdateRefused,
)
from bot.billing.rows import ticket_from_row
from bot.billing.ticket_policy import checked_update, due_of, due_times, pending_due

OPEN_STATUS_VALUES = sorted(status.value for status in OPEN_TICKET_STATUSES)


def add_due(session: Session, row: TicketRow) -> None:
    """Record the deadlines of a ticket being filed (``row`` is added, not yet flushed)."""
    ticket = ticket_from_row(row)
    due = due_times(ticket.category, ticket.escalated, ticket.created_at)
    session.flush()  # the ticket's row first: the due times refer to it
    session.add(
        TicketDueRow(
            ticket_id=row.ticket_id, first_contact=due.first_contact, resolution=due.resolution
        )
    )


def worked(session: Session, rows: Sequence[TicketRow]) -> list[Ticket]:
    """The tickets of ``rows`` with their due times and latest update, in the same order."""
    ids = [row.ticket_id for row in rows]
    if not ids:
        return []
    dues = {
        d.ticket_id: TicketDue(d.first_contact, d.resolution)
        for d in session.scalars(select(TicketDueRow).where(TicketDueRow.ticket_id.in_(ids)))
    }
    newest = (
        select(func.max(TicketUpdateRow.id))
        .where(TicketUpdateRow.ticket_id.in_(ids))
        .group_by(TicketUpdateRow.ticket_id)
    )
    latest = {
        u.ticket_id: _update(u)
        for u in session.scalars(select(TicketUpdateRow).where(TicketUpdateRow.id.in_(newest)))
    }
    tickets = []
    for row in rows:
        ticket = ticket_from_row(row)
        due = dues.get(row.ticket_id) or due_of(ticket)
        tickets.append(replace(ticket, due=due, latest_update=latest.get(row.ticket_id)))
    return tickets


def open_tickets(session: Session) -> list[Ticket]:
    """Every ticket still being worked, the earliest pending deadline first."""
    rows = list(session.scalars(select(TicketRow).where(TicketRow.status.in_(OPEN_STATUS_VALUES))))
    return sorted(worked(session, rows), key=lambda t: (pending_due(t), t.ticket_id))


def _row(session: Session, ticket_id: str) -> TicketRow:
    row = session.get(TicketRow, ticket_id.upper())
    if row is None:
        raise TicketNotFound(f"no ticket {ticket_id}")
    return row


def find_ticket(session: Session, ticket_id: str) -> Ticket:
    """Any customer's ticket."""
    return worked(session, [_row(session, ticket_id)])[0]


def ticket_updates(session: Session, ticket_id: str) -> list[TicketUpdate]:
    """The ticket's updates, oldest first."""
    row = _row(session, ticket_id)
    query = (
        select(TicketUpdateRow)
        .where(TicketUpdateRow.ticket_id == row.ticket_id)
        .order_by(TicketUpdateRow.id)
    )
    return [_update(u) for u in session.scalars(query)]


def update_ticket(
    session: Session,
    ticket_id: str,
    author: str,
    text: str,
    status: TicketStatus | None,
    now: dt.datetime,
) -> Ticket:
    """Record an update; a status change is one conditional UPDATE, so of two agents
    changing the same status at once, the second is refused."""
    row = _row(session, ticket_id)
    (ticket,) = worked(session, [row])
    text, status = checked_update(ticket, text, status)
    if status is not None:
        changed = session.execute(
            update(TicketRow)
            .where(TicketRow.ticket_id == row.ticket_id, TicketRow.status == ticket.status.value)
            .values(status=status.value)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            session.rollback()
            raise TicketUpdateRefused(f"ticket {row.ticket_id} changed meanwhile")
    session.add(
        TicketUpdateRow(
            ticket_id=row.ticket_id,
            author=author,
            at=now,
            text=text,
            status=status.value if status else None,
        )
    )
    session.commit()
    return find_ticket(session, row.ticket_id)


def _update(row: TicketUpdateRow) -> TicketUpdate:
    status = TicketStatus(row.status) if row.status else None
    return TicketUpdate(row.ticket_id, row.author, row.at, row.text, status)
