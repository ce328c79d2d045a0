"""Journey 1: the account balance."""

from __future__ import annotations

from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, conversation_language
from bot.billing.port import Customer
from bot.domain.formatting import fmt_money

LOW_BALANCE = Decimal("5")


class ActionCheckBalance(AccountAction):
    """Say the balance; arrears plainly; a top-up reminder under 5 yuan."""

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
        if customer.balance < LOW_BALANCE:
            dispatcher.utter_message(response="utter_balance_low")
        return []
