"""The scheduler's source of plan offers: reads billing, asks ``bot.notices.offers``.

A customer already offered this quarter (the notice key is recorded), or in arrears, is
not looked at again; the others' six months are read at each sweep. Whether the
customer turned offers off the scheduler asks before sending, as for every kind.
"""

from __future__ import annotations

import datetime as dt

from bot.billing.port import BillingService, CustomerNotFound
from bot.notices.due import PLAN_OFFER, CustomerFacts, Notice
from bot.notices.offers import HISTORY_MONTHS, find_offer, offer_notice, quarter_of
from bot.notices.store import NoticeStore


class OfferFinder:
    """Finds the plan offer a customer is due this quarter, if any."""

    def __init__(self, billing: BillingService, store: NoticeStore) -> None:
        self._billing = billing
        self._store = store

    async def due(self, facts: CustomerFacts, local: dt.datetime) -> list[Notice]:
        """This quarter's offer to the customer of ``facts`` (none, or one)."""
        today = local.date()
        if facts.balance < 0:
            return []
        probe = Notice(facts.msisdn, PLAN_OFFER, quarter_of(today))
        if probe.key in await self._store.recorded([probe]):
            return []
        billing = self._billing
        try:
            customer = await billing.get_customer(facts.msisdn)
            history = await billing.usage_history(facts.msisdn, months=HISTORY_MONTHS)
        except CustomerNotFound:
            return []
        plans = await billing.list_plans()
        offer = find_offer(customer, plans, await billing.overage_rates(), history, today)
        return [offer_notice(offer, facts.language, today)] if offer else []
