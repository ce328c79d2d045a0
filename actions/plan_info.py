"""A named plan's price and allowances: information only, never an order.

"88的套餐多少钱", "what does Max 88 include": the plan is found by code, name or price
(``actions/plan_matching.py``) and described; asking about a plan never starts a
plan change (that needs "换成…" and a confirmed proposal). No account is needed.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import EventList, ServiceAction, conversation_language
from actions.plan_matching import match_plan
from actions.plans import plan_line, utter_catalogue
from bot.billing.port import BillingError


class ActionPlanInfo(ServiceAction):
    """The price and allowances of the plan the customer names (the catalogue otherwise)."""

    def name(self) -> str:
        return "action_plan_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        try:
            plans = await self.services.billing.list_plans()
        except BillingError:
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        language = conversation_language(tracker)
        text = str((tracker.latest_message or {}).get("text") or "")
        plan = None if text.startswith("/") else match_plan(text, plans)
        if plan is None:
            utter_catalogue(dispatcher, plans, domain, language)
            return []
        dispatcher.utter_message(response="utter_plan_info", plan=plan_line(plan, domain, language))
        return []
