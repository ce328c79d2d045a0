"""``{ticket}``: a customer's latest ticket, from the billing service's ticket data."""

from __future__ import annotations

import logging

from bot.billing.port import BillingError, BillingService
from bot.console.replies.store import LatestTicket

log = logging.getLogger(__name__)


def latest_ticket_of(billing: BillingService) -> LatestTicket:
    """The lookup the case page uses: the newest ticket's id, or None (none, or billing failed)."""

    async def latest(msisdn: str) -> str | None:
        try:
            tickets = await billing.tickets(msisdn)  # newest first
        except BillingError as error:
            log.warning("tickets unavailable for {ticket}: %s", error)
            return None
        return tickets[0].ticket_id if tickets else None

    return latest
