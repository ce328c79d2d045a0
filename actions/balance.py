"""Journey 1: the account balance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, conversation_language
from bot.billing.port import BillingError, Customer
from bot.domain.formatting import fmt_money
from bot.notices.settings import load_balance_threshold
from bot.services import Services

CREDIT_SHOWN = dt.timedelta(days=31)  # a credit is mentioned with the balance this long


class ActionCheckBalance(AccountAction):
    """Say the balance (and a recent credit in it); arrears plainly; a top-up reminder below
    the low-balance threshold (``NOTICE_BALANCE_THRESHOLD``, read once)."""

    answers = "check_balance"

    def __init__(
        self,
        services: Services | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        low_balance: Decimal | None = None,
    ) -> None:
        super().__init__(services, today)
        self.low_balance = load_balance_threshold() if low_balance is None else low_balance

    def name(self) -> str:
        return "action_check_balance"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        name = customer.name(conversation_language(tracker))
        if customer.balance < 0:
            dispatcher.utter_message(
                response="utter_balance_arrears", name=name, owed=fmt_money(-customer.balance)
            )
            return []
        dispatcher.utter_message(
            response="utter_balance", name=name, balance=fmt_money(customer.balance)
        )
        await self._recent_credit(customer, dispatcher)
        if customer.balance < self.low_balance:
            dispatcher.utter_message(
                response="utter_balance_low", threshold=fmt_money(self.low_balance)
            )
        return []

    async def _recent_credit(self, customer: Customer, dispatcher: CollectingDispatcher) -> None:
        """The newest credit of the last ``CREDIT_SHOWN``, which the balance includes."""
        try:
            credits = await self.services.billing.credits(customer.msisdn)
        except BillingError:  # the balance was said; the credit is a detail
            return
        if credits and credits[0].created_at.date() >= self._today() - CREDIT_SHOWN:
            dispatcher.utter_message(
                response="utter_balance_credit",
                amount=fmt_money(credits[0].amount),
                date=credits[0].created_at.strftime("%Y-%m-%d"),
                reference=credits[0].reference,
            )
