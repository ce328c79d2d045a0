"""Journey 5: plan change with confirmation (the flow ``PLAN_CHANGE_FLOW``).

The proposal names the plan and is recorded on the server, bound to this conversation,
its channel and the customer's verified number; the slot holds only its id. The
confirmation, the question asked again and the cancellation are the confirmation
family's (``actions.confirmation``); this module gives the terms and the order.
"""

from __future__ import annotations

import datetime as dt

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, Services, conversation_language
from actions.confirmation import CANCEL_ACTIONS, ActionConfirmPending, ActionReaskPending, Offer
from actions.identity import input_channel
from actions.plan_matching import match_plan
from actions.plans import utter_catalogue
from actions.quoting import of_plan
from actions.unsure import question_text
from bot.billing.insights import next_cycle_start
from bot.billing.port import Customer, Plan, PlanNotEligible
from bot.domain.confirmations import PLAN_CHANGE_FLOW
from bot.domain.formatting import fmt_date, fmt_money
from bot.state.proposals import Proposal

FLOW = PLAN_CHANGE_FLOW
PROPOSE_ACTION = FLOW.propose
PENDING_SLOT = FLOW.pending_slot


class ActionProposePlanChange(AccountAction):
    """State the new fee and effective date of the named or recommended plan; ask to confirm."""

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
            FLOW.kind,
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


async def plan_change_offer(
    services: Services, proposal: Proposal, customer: Customer, today: dt.date
) -> Offer | None:
    """The proposed plan's terms from the next cycle, and the question about them."""
    catalogue = {p.code: p for p in await services.billing.list_plans()}
    current, target = catalogue.get(customer.plan_code), catalogue.get(proposal.subject)
    if current is None or target is None:
        return None
    effective = next_cycle_start(today)

    def ask(dispatcher: CollectingDispatcher, language: str) -> None:
        ask_plan_change(dispatcher, current, target, language, effective)

    return of_plan(target, effective), ask


class ActionChangePlan(ActionConfirmPending):
    """Place the confirmed plan change for the next cycle."""

    flow = FLOW

    async def offer(self, proposal: Proposal, customer: Customer) -> Offer | None:
        return await plan_change_offer(self.services, proposal, customer, self._today())

    async def place(
        self,
        proposal: Proposal,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> EventList:
        plans = {p.code: p for p in await self.services.billing.list_plans()}
        plan = plans[proposal.subject]
        language = conversation_language(tracker)
        try:
            order = await self.services.billing.place_plan_change(
                proposal.msisdn, plan.code, next_cycle_start(self._today())
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


class ActionReaskPlanChange(ActionReaskPending):
    """The plan change question again: plans, new fee, effective date."""

    flow = FLOW

    async def offer(self, proposal: Proposal, customer: Customer) -> Offer | None:
        return await plan_change_offer(self.services, proposal, customer, self._today())


ActionCancelPlanChange = CANCEL_ACTIONS[FLOW.kind]  # "no" or "stop": nothing changes
