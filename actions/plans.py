"""Journeys 4 and 5: plan catalogue, recommendation, and plan change with confirmation."""

from __future__ import annotations

import datetime as dt
import logging

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    AccountAction,
    ActionCancelPending,
    EventList,
    ServiceAction,
    conversation_language,
    redeem_confirmed,
)
from actions.identity import input_channel
from actions.plan_matching import match_plan
from actions.quoting import of_plan, requote
from actions.unsure import question_text
from bot.billing.calendar import HISTORY_MONTHS
from bot.billing.insights import Recommendation, next_cycle_start, recommend_plan
from bot.billing.port import BillingError, Customer, Plan, PlanNotEligible
from bot.domain.formatting import fmt_count, fmt_date, fmt_gb, fmt_money
from bot.domain.responses import join_parts, render
from bot.state.proposals import PLAN_CHANGE

logger = logging.getLogger(__name__)

PROPOSE_ACTION = "action_propose_plan_change"
REASK_ACTION = "action_reask_plan_change"  # the question asked again after a digression
CONFIRMABLE_AFTER = frozenset({PROPOSE_ACTION, REASK_ACTION})
PENDING_SLOT = "pending_plan"  # the id of the recorded proposal, never a plan code


PLANS_PER_MESSAGE = 3  # keeps each SMS of the catalogue within three segments


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
    chunks = [plans[i : i + PLANS_PER_MESSAGE] for i in range(0, len(plans), PLANS_PER_MESSAGE)]
    for index, chunk in enumerate(chunks):
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


class ActionProposePlanChange(AccountAction):
    """State the new fee and effective date of the named or recommended plan; ask to confirm.

    The offer is recorded on the server, bound to this conversation, its channel and
    the customer's verified number; the slot holds only the proposal's id.
    """

    answers = "change_plan"  # asked about first when read with little confidence

    def name(self) -> str:
        return PROPOSE_ACTION

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        plans = await self.services.billing.list_plans()
        language = conversation_language(tracker)
        text = question_text(tracker, "change_plan")  # after "did you mean …?": the question
        target = match_plan(text, plans) if text and not text.startswith("/") else None
        if target is None:
            recommended = tracker.get_slot("recommended_plan")
            target = next((p for p in plans if p.code == recommended), None)
        if target is None:
            dispatcher.utter_message(response="utter_plan_unknown")
            utter_catalogue(dispatcher, plans, domain, language)
            return [SlotSet(PENDING_SLOT, None)]
        if target.code == customer.plan_code:
            dispatcher.utter_message(response="utter_plan_already", plan=target.name(language))
            return [SlotSet(PENDING_SLOT, None)]
        if target.min_age is not None and customer.age(self._today()) < target.min_age:
            dispatcher.utter_message(response="utter_plan_not_eligible", plan=target.name(language))
            return [SlotSet(PENDING_SLOT, None)]
        current = next(p for p in plans if p.code == customer.plan_code)
        effective = next_cycle_start(self._today())
        proposal = await self.services.proposals.propose(
            tracker.sender_id,
            input_channel(tracker),
            customer.msisdn,
            PLAN_CHANGE,
            target.code,
            of_plan(target, effective),
        )
        ask_plan_change(dispatcher, current, target, language, effective)
        return [SlotSet(PENDING_SLOT, proposal.id)]


def ask_plan_change(
    dispatcher: CollectingDispatcher,
    current: Plan,
    target: Plan,
    language: str,
    effective: dt.date,
) -> None:
    """The confirmation question: from which plan to which, the new fee and from when."""
    dispatcher.utter_message(
        response="utter_plan_change_confirm",
        current=current.name(language),
        plan=target.name(language),
        fee=fmt_money(target.monthly_fee),
        effective_date=fmt_date(effective),
    )


class ActionChangePlan(AccountAction):
    """Place the confirmed plan change; only straight after the confirmation question
    (the proposal, or the question asked again after a digression).

    The order is for the plan and number of the proposal the slot names, redeemed
    once from this conversation, channel and verified number: a plan code, an
    expired or used proposal, or another conversation's, places nothing. If the
    plan's fee, allowances or effective date are no longer those quoted, nothing is
    ordered: the new terms are quoted and asked about again.
    """

    def name(self) -> str:
        return "action_change_plan"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        proposal = await redeem_confirmed(
            self.services, tracker, PENDING_SLOT, CONFIRMABLE_AFTER, PLAN_CHANGE, customer.msisdn
        )
        plans = {p.code: p for p in await self.services.billing.list_plans()}
        plan = plans.get(proposal.subject) if proposal is not None else None
        if proposal is None or plan is None:
            dispatcher.utter_message(response="utter_nothing_to_confirm")
            return [SlotSet(PENDING_SLOT, None)]
        effective = next_cycle_start(self._today())
        quote = of_plan(plan, effective)
        if proposal.quote != quote:
            fresh = await requote(self.services.proposals, dispatcher, proposal, quote)
            return [SlotSet(PENDING_SLOT, fresh.id), FollowupAction(REASK_ACTION)]
        language = conversation_language(tracker)
        try:
            order = await self.services.billing.place_plan_change(
                proposal.msisdn, plan.code, effective
            )
        except PlanNotEligible:
            dispatcher.utter_message(response="utter_plan_not_eligible", plan=plan.name(language))
            return [SlotSet(PENDING_SLOT, None)]
        dispatcher.utter_message(
            response="utter_plan_changed",
            order_id=order.order_id,
            plan=plan.name(language),
            fee=fmt_money(plan.monthly_fee),
            effective_date=fmt_date(order.effective_date),
        )
        return [SlotSet(PENDING_SLOT, None), SlotSet("recommended_plan", None)]


class ActionCancelPlanChange(ActionCancelPending):
    """Drop the pending plan change."""

    response = "utter_plan_change_cancelled"
    pending_slot = PENDING_SLOT

    def name(self) -> str:
        return "action_cancel_plan_change"
