"""Journey 1: the account balance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, conversation_language
from bot.billing.port import BillingError, Customer
from bot.domain.formatting import fmt_money

LOW_BALANCE = Decimal("5")
CREDIT_SHOWN = dt.timedelta(days=31)  # a credit is mentioned with the balance this long


class ActionCheckBalance(AccountAction):
    """Say the balance (and a recent credit in it); arrears plainly; a top-up reminder under
    5 yuan."""

    answers = "check_balance"

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
        if customer.balance < LOW_BALANCE:
            dispatcher.utter_message(response="utter_balance_low")
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
