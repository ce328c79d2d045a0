"""A named plan's price and allowances: information only, never an order.

"88的套餐多少钱", "what does Max 88 include": the plan is found by code, name or price
(``actions/plan_matching.py``) and described; asking about a plan never starts a
plan change (that needs "换成…" and a confirmed proposal). No account is needed.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.plan_matching import match_plan
from actions.plans import ActionListPlans, plan_line
from bot.billing.port import Plan


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
