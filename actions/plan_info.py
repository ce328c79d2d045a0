"""A named plan's price and allowances, and the customer's own plan (``TC``): information
only, never an order.

"88的套餐多少钱", "what does Max 88 include": the plan is found by code, name or price
(``actions/plan_matching.py``) and described; asking about a plan never starts a
plan change (that needs "换成…" and a confirmed proposal). No account is needed.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, conversation_language
from actions.plan_matching import match_plan
from actions.plans import ActionListPlans, plan_line
from bot.billing.port import Customer, Plan
from bot.domain.formatting import fmt_gb, fmt_money


class ActionPlanInfo(ActionListPlans):
    """The price and allowances of the plan the customer names (the catalogue otherwise)."""

    def name(self) -> str:
        return "action_plan_info"

    def answer(
        self,
        plans: list[Plan],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        language: str,
    ) -> None:
        text = str((tracker.latest_message or {}).get("text") or "")
        plan = None if text.startswith("/") else match_plan(text, plans)
        if plan is None:
            super().answer(plans, dispatcher, tracker, domain, language)
            return
        dispatcher.utter_message(response="utter_plan_info", plan=plan_line(plan, domain, language))


class ActionCurrentPlan(AccountAction):
    """The customer's plan, its fee and its allowances (``TC``)."""

    answers = "current_plan"

    def name(self) -> str:
        return "action_current_plan"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        plans = {p.code: p for p in await self.services.billing.list_plans()}
        plan = plans[customer.plan_code]
        dispatcher.utter_message(
            response="utter_current_plan",
            plan=plan.name(conversation_language(tracker)),
            fee=fmt_money(plan.monthly_fee),
            data=fmt_gb(plan.data_gb),
            voice=plan.voice_min,
            sms=plan.sms,
        )
        return []
