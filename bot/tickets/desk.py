"""The ticket desk: what the console's Tickets pages do with complaint tickets.

Tickets and their updates are the billing system's (the port); where the customer
can be reached is the project's (``bot.state.ticket_origins``). Every status change is
sent to the customer, in their language, on the channel they filed from; a ticket
without a recorded origin (filed before origins were kept) goes to the customer's
number by SMS, in the language of their profile. A billing-adjustment ticket (overage
credited against a new plan, ``bot.billing.adjustments``) is approved, which credits the
balance once, or declined with a reason; either way the customer is told.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from bot.billing.adjustments import asked_credit
from bot.billing.port import (
    OPEN_TICKET_STATUSES,
    BillingError,
    BillingService,
    Ticket,
    TicketNotFound,
    TicketStatus,
    TicketUpdate,
    TicketUpdateRefused,
)
from bot.billing.ticket_policy import is_overdue, pending_due, work_order
from bot.domain.files import load_domain
from bot.domain.formatting import fmt_money
from bot.domain.ids import SMS
from bot.domain.language import reply_language
from bot.domain.numbers import mask_msisdn
from bot.domain.responses import render
from bot.handoff.desk_events import DeskEventKind, DeskEventLog
from bot.state.ticket_origins import TicketOrigin, TicketOrigins
from bot.tickets.notify import TicketNotifier, TicketNotifyError

logger = logging.getLogger(__name__)


class TicketDeskError(Exception):
    """The desk cannot do what the agent asked (shown to the agent as a message)."""


class Delivery(str, Enum):
    """What became of the customer's notice of an update."""

    SENT = "sent"
    NOT_SENT = "not_sent"  # a note: the status stayed, nothing is sent
    FAILED = "failed"  # recorded, but the customer could not be told


@dataclass(frozen=True)
class TicketItem:
    """A ticket as the agents' list shows it."""

    ticket: Ticket
    due: dt.datetime | None  # the pending deadline
    overdue: bool


@dataclass(frozen=True)
class TicketView:
    """One ticket with every update and where its customer is told."""

    item: TicketItem
    updates: list[TicketUpdate]
    origin: TicketOrigin | None  # None: the customer cannot be reached


class TicketDesk:
    """Lists tickets in working order, records updates and tells the customer."""

    def __init__(
        self,
        billing: BillingService,
        origins: TicketOrigins,
        notifier: TicketNotifier,
        domain_path: Path,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        events: DeskEventLog | None = None,  # the desk's change log
    ) -> None:
        self._events = events
        self._billing = billing
        self._origins = origins
        self._notifier = notifier
        self._domain: dict[str, Any] = load_domain(domain_path)
        self._clock = clock

    def _item(self, ticket: Ticket, now: dt.datetime) -> TicketItem:
        return TicketItem(ticket, pending_due(ticket), is_overdue(ticket, now))

    async def open_tickets(self) -> list[TicketItem]:
        """Tickets being worked: overdue first, then by their pending deadline."""
        now = self._clock()
        try:
            tickets = await self._billing.open_tickets()
        except BillingError as exc:
            raise TicketDeskError(str(exc)) from exc
        return [self._item(t, now) for t in work_order(tickets, now)]

    async def ticket(self, ticket_id: str) -> TicketView:
        """The ticket, its updates (oldest first) and its origin."""
        try:
            ticket = await self._billing.find_ticket(ticket_id)
            updates = await self._billing.ticket_updates(ticket.ticket_id)
            origin = await self._origin(ticket)
        except BillingError as exc:
            raise TicketDeskError(str(exc)) from exc
        return TicketView(self._item(ticket, self._clock()), updates, origin)

    async def update(
        self, ticket_id: str, agent: str, text: str, status: TicketStatus | None
    ) -> Delivery:
        """Record the agent's update; a status change is sent to the customer."""
        try:
            ticket = await self._billing.update_ticket(ticket_id, agent, text, status)
        except (TicketNotFound, TicketUpdateRefused) as exc:
            raise TicketDeskError(str(exc)) from exc
        except BillingError as exc:
            raise TicketDeskError(f"the billing system did not answer: {exc}") from exc
        if self._events is not None:  # every console's Tickets pages refresh
            kind, ticket_id = DeskEventKind.TICKET_UPDATED, ticket.ticket_id
            await self._events.append(kind, ticket_id=ticket_id, agent=agent)
        update = ticket.latest_update
        if update is None or update.status is None:
            return Delivery.NOT_SENT
        origin = await self._origin(ticket)
        try:
            if origin is None:
                raise TicketNotifyError("no conversation and no customer to send to")
            await self._notifier.send(origin, self.notice(ticket, update, origin.language))
        except TicketNotifyError as exc:
            logger.warning("ticket %s: the customer was not told: %s", ticket.ticket_id, exc)
            return Delivery.FAILED
        logger.info(
            "ticket %s: %s told on %s", ticket.ticket_id, mask_msisdn(ticket.msisdn), origin.channel
        )
        return Delivery.SENT

    # --- overage credits: a billing-adjustment ticket approved or declined ---
    async def approve_credit(self, ticket_id: str, agent: str) -> Delivery:
        """Credit what the ticket asks (once, whoever approves again), resolve it and tell
        the customer in their language."""
        ticket, amount, language = await self._credit_request(ticket_id)
        try:
            credit = await self._billing.credit_account(ticket.msisdn, amount, ticket.ticket_id)
        except BillingError as exc:
            raise TicketDeskError(f"the credit was not recorded: {exc}") from exc
        text = render(
            self._domain,
            "utter_overage_credit_approved_note",
            language,
            amount=fmt_money(credit.amount),
        )
        return await self.update(ticket.ticket_id, agent, text, TicketStatus.RESOLVED)

    async def decline_credit(self, ticket_id: str, agent: str, reason: str) -> Delivery:
        """Close the ticket without a credit; the customer is told the agent's reason."""
        if not reason.strip():
            raise TicketDeskError("declining a credit needs a reason")
        ticket, _, language = await self._credit_request(ticket_id)
        text = render(
            self._domain, "utter_overage_credit_declined_note", language, reason=reason.strip()
        )
        return await self.update(ticket.ticket_id, agent, text, TicketStatus.CLOSED)

    async def _credit_request(self, ticket_id: str) -> tuple[Ticket, Decimal, str]:
        """The ticket still being worked, the credit it asks and the customer's language."""
        try:
            ticket = await self._billing.find_ticket(ticket_id)
            origin = await self._origin(ticket)
        except BillingError as exc:
            raise TicketDeskError(str(exc)) from exc
        amount = asked_credit(ticket)
        if amount is None:
            raise TicketDeskError(f"ticket {ticket.ticket_id} asks for no credit")
        if ticket.status not in OPEN_TICKET_STATUSES:
            raise TicketDeskError(f"ticket {ticket.ticket_id} was decided already")
        return ticket, amount, reply_language(origin.language if origin else None)

    def notice(self, ticket: Ticket, update: TicketUpdate, language: str) -> str:
        """The customer's message about a status change, in ``language``."""
        status = update.status or ticket.status
        note = (
            render(self._domain, "utter_ticket_notice_note", language, text=update.text)
            if update.text
            else ""
        )
        return render(
            self._domain,
            "utter_ticket_notice",
            language,
            ticket_id=ticket.ticket_id,
            status=render(self._domain, f"utter_ticket_status_{status.value}", language),
            note=note,
        )

    async def _origin(self, ticket: Ticket) -> TicketOrigin | None:
        origin = await self._origins.get(ticket.ticket_id)
        if origin is not None:
            return origin
        try:
            customer = await self._billing.get_customer(ticket.msisdn)
        except BillingError:
            return None
        return TicketOrigin(ticket.ticket_id, ticket.msisdn, SMS, customer.language)
