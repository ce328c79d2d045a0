"""Journey 4: the plan catalogue and the recommendation (the change: ``actions.plan_change``)."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    AccountAction,
    EventList,
    ServiceAction,
    conversation_language,
)
from bot.billing.calendar import HISTORY_MONTHS
from bot.billing.insights import Recommendation, recommend_plan
from bot.billing.port import BillingError, Customer, Plan
from bot.channels.sms.shaping import PLANS_PER_MESSAGE, in_messages
from bot.domain.formatting import fmt_count, fmt_gb, fmt_money
from bot.domain.responses import join_parts, render

logger = logging.getLogger(__name__)


def plan_line(plan: Plan, domain: DomainDict, language: str) -> str:
    line = render(
        domain,
        "utter_plan_line",
        language,
        name=plan.name(language),
        fee=fmt_money(plan.monthly_fee),
        data=fmt_gb(plan.data_gb),
        voice=plan.voice_min,
        sms=plan.sms,
    )
    if plan.min_age is None:
        return line
    note = render(domain, "utter_plan_age_note", language, name=plan.name(language))
    return f"{line}（{note}）" if language == "zh" else f"{line} ({note})"


def utter_catalogue(
    dispatcher: CollectingDispatcher, plans: list[Plan], domain: DomainDict, language: str
) -> None:
    """The plan catalogue, a few plans per message."""
    for index, chunk in enumerate(in_messages(plans, PLANS_PER_MESSAGE)):
        lines = join_parts([plan_line(p, domain, language) for p in chunk], language)
        response = "utter_plan_list" if index == 0 else "utter_plan_list_more"
        dispatcher.utter_message(response=response, plans=lines)


class ActionListPlans(ServiceAction):
    """The plan catalogue; needs no account."""

    def name(self) -> str:
        return "action_list_plans"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        try:
            plans = await self.services.billing.list_plans()
        except BillingError:
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        self.answer(plans, dispatcher, tracker, domain, conversation_language(tracker))
        return []

    def answer(
        self,
        plans: list[Plan],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        language: str,
    ) -> None:
        """The catalogue (subclasses answer about one plan)."""
        utter_catalogue(dispatcher, plans, domain, language)


class ActionRecommendPlan(AccountAction):
    """Recommend from up to six months of usage (saying how many); remember the plan for a
    "yes"."""

    def name(self) -> str:
        return "action_recommend_plan"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        billing = self.services.billing
        history = await billing.usage_history(customer.msisdn, months=HISTORY_MONTHS)
        if not history:
            dispatcher.utter_message(response="utter_bill_no_history")
            return [SlotSet("recommended_plan", None)]
        advice = recommend_plan(customer, await billing.list_plans(), history, self._today())
        language = conversation_language(tracker)
        usage = {
            "months": len(history),  # up to six: as many as there are
            "data": fmt_gb(advice.average_data_gb),
            "voice": fmt_count(advice.average_voice_min),
            "sms": fmt_count(advice.average_sms),
        }
        if advice.keeps_current:
            dispatcher.utter_message(
                response="utter_recommend_keep", plan=advice.current.name(language), **usage
            )
            return [SlotSet("recommended_plan", None)]
        dispatcher.utter_message(
            response="utter_recommend_change",
            plan=advice.plan.name(language),
            fee=fmt_money(advice.plan.monthly_fee),
            avg=fmt_money(advice.average_charge),
            difference=_difference(advice, domain, language),
            **usage,
        )
        return [SlotSet("recommended_plan", advice.plan.code)]


def _difference(advice: Recommendation, domain: DomainDict, language: str) -> str:
    diff = advice.monthly_difference
    if diff < 0:
        return render(domain, "utter_difference_saving", language, amount=fmt_money(-diff))
    if diff > 0:
        return render(domain, "utter_difference_more", language, amount=fmt_money(diff))
    return render(domain, "utter_difference_same", language)
