"""Ticket work of ``FakeBillingService``, as the SQL stub does it (``bot.billing.sql_tickets``):
due times from ``bot.billing.ticket_policy``, updates oldest first, a status change only
from the status the ticket has."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from bot.billing.port import (
    OPEN_TICKET_STATUSES,
    Customer,
    Ticket,
    TicketNotFound,
    TicketStatus,
    TicketUpdate,
)
from bot.billing.ticket_policy import checked_update, pending_due


class FakeTicketWork:
    """The agents' calls on tickets, kept in memory (mixed into the fake)."""

    clock: Callable[[], dt.datetime]
    ticket_list: list[Ticket]
    updates: list[TicketUpdate]

    def _check(self, msisdn: str | None = None) -> Customer | None:
        raise NotImplementedError  # FakeBillingService's

    def _find(self, ticket_id: str) -> Ticket:
        self._check()
        for ticket in self.ticket_list:
            if ticket.ticket_id == ticket_id.upper():
                return ticket
        raise TicketNotFound(f"no ticket {ticket_id}")

    async def open_tickets(self) -> list[Ticket]:
        self._check()
        worked = [t for t in self.ticket_list if t.status in OPEN_TICKET_STATUSES]
        return sorted(worked, key=lambda t: (pending_due(t), t.ticket_id))

    async def find_ticket(self, ticket_id: str) -> Ticket:
        return self._find(ticket_id)

    async def ticket_updates(self, ticket_id: str) -> list[TicketUpdate]:
        ticket = self._find(ticket_id)
        return [u for u in self.updates if u.ticket_id == ticket.ticket_id]

    async def update_ticket(
        self, ticket_id: str, author: str, text: str, status: TicketStatus | None = None
    ) -> Ticket:
        ticket = self._find(ticket_id)
        text, status = checked_update(ticket, text, status)
        update = TicketUpdate(ticket.ticket_id, author, self.clock(), text, status)
        self.updates.append(update)
        changed = replace(ticket, status=status or ticket.status, latest_update=update)
        self.ticket_list = [changed if t is ticket else t for t in self.ticket_list]
        return changed
