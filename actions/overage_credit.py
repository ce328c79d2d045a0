"""Overage credited against a new plan: the customer asks, a billing-adjustment ticket is
filed with the months and amounts computed (``bot.billing.adjustments``), and an agent
approves or declines it on the console's Tickets pages (``bot.tickets.desk``)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, conversation_language
from actions.complaints import record_origin
from bot.billing.adjustments import (
    CATEGORY,
    REVIEW_MONTHS,
    OverageReview,
    describe,
    recent_switch,
    review_overage,
    reviews_order,
)
from bot.billing.port import Customer
from bot.billing.ticket_policy import RESOLUTION
from bot.domain.formatting import fmt_money
from bot.domain.responses import join_parts, render

RECOMMEND_ACTION = "action_recommend_plan"


class ActionRequestOverageCredit(AccountAction):
    """File the overage review of a recent plan change, or explain when it applies."""

    answers = "request_overage_credit"

    def name(self) -> str:
        return "action_request_overage_credit"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        billing = self.services.billing
        order = recent_switch(await billing.plan_changes(customer.msisdn), self._today())
        if order is None:  # the review follows a move to a better-fitting plan
            dispatcher.utter_message(response="utter_overage_credit_no_switch")
            return [FollowupAction(RECOMMEND_ACTION)]
        filed = [t for t in await billing.tickets(customer.msisdn) if reviews_order(t, order)]
        if filed:
            language = conversation_language(tracker)
            dispatcher.utter_message(
                response="utter_overage_credit_exists",
                ticket_id=filed[0].ticket_id,
                status=render(domain, f"utter_ticket_status_{filed[0].status.value}", language),
            )
            return []
        history = await billing.usage_history(customer.msisdn, months=REVIEW_MONTHS)
        plans, rates = await billing.list_plans(), await billing.overage_rates()
        review = review_overage(order, plans, history, rates)
        language = conversation_language(tracker)
        if not review.months:
            dispatcher.utter_message(
                response="utter_overage_credit_nothing",
                count=review.months_seen,
                plan=review.new_plan.name(language),
            )
            return []
        ticket = await billing.create_ticket(
            customer.msisdn, CATEGORY, describe(review), None, escalated=False
        )
        await record_origin(self.services, tracker, ticket)
        dispatcher.utter_message(
            response="utter_overage_credit_filed",
            ticket_id=ticket.ticket_id,
            months=month_lines(review, domain, language),
            plan=review.new_plan.name(language),
            paid=fmt_money(review.paid),
            new_cost=fmt_money(review.new_cost),
            credit=fmt_money(review.credit),
            days=RESOLUTION[CATEGORY].days,
        )
        return []


def month_lines(review: OverageReview, domain: DomainDict, language: str) -> str:
    """Each month counted: paid, and the new plan's cost."""
    return join_parts(
        [
            render(
                domain,
                "utter_overage_credit_month",
                language,
                month=m.month,
                paid=fmt_money(m.paid),
                new_cost=fmt_money(m.new_cost),
            )
            for m in review.months
        ],
        language,
    )
