"""Journey 3: the last three bills, or the month the customer names, and what made a month
cost more than the plan."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, conversation_language
from actions.unsure import question_text
from actions.usage import overage_parts
from bot.billing.insights import MonthExplanation, explain_month
from bot.billing.port import Customer
from bot.domain.catalogue import month_named
from bot.domain.formatting import fmt_money
from bot.domain.responses import join_parts, render

BILLED_MONTHS = 12  # how far back a named month is looked for


class ActionCheckBill(AccountAction):
    """Three months of charges, each month above the plan fee explained."""

    answers = "check_bill"

    def name(self) -> str:
        return "action_check_bill"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        billing = self.services.billing
        language = conversation_language(tracker)
        # the customer's words, also when "yes" to "did you mean your bill?" came after them
        month = month_named(question_text(tracker, "check_bill"), self._today())
        if month is not None:
            return await self._one_month(customer, month, dispatcher, domain, language)
        history = await billing.usage_history(customer.msisdn, months=3)
        if not history:
            dispatcher.utter_message(response="utter_bill_no_history")
            return []
        plan = next(p for p in await billing.list_plans() if p.code == customer.plan_code)
        rates = await billing.overage_rates()
        months = join_parts(
            [
                render(
                    domain,
                    "utter_bill_month",
                    language,
                    month=m.month,
                    total=fmt_money(m.total_charge),
                )
                for m in history
            ],
            language,
        )
        dispatcher.utter_message(
            response="utter_bill_summary",
            plan=plan.name(language),
            fee=fmt_money(plan.monthly_fee),
            months=months,
        )
        explanations = [explain_month(plan, month, rates) for month in history]
        above = [e for e in explanations if e.extra > 0]
        for explanation in above:
            dispatcher.utter_message(
                response="utter_bill_over",
                month=explanation.month,
                extra=fmt_money(explanation.extra),
                items=bill_items(explanation, domain, language),
            )
        if not above:
            dispatcher.utter_message(response="utter_bill_all_at_fee")
        return []

    async def _one_month(
        self,
        customer: Customer,
        month: str,
        dispatcher: CollectingDispatcher,
        domain: DomainDict,
        language: str,
    ) -> EventList:
        """The bill of the month the customer named, explained; or the months there are."""
        billing = self.services.billing
        history = await billing.usage_history(customer.msisdn, months=BILLED_MONTHS)
        found = next((m for m in history if m.month == month), None)
        if found is None:
            months = join_parts([m.month for m in history], language) or "-"
            dispatcher.utter_message(
                response="utter_bill_month_unknown", month=month, months=months
            )
            return []
        plan = next(p for p in await billing.list_plans() if p.code == customer.plan_code)
        dispatcher.utter_message(
            response="utter_bill_one_month",
            month=month,
            total=fmt_money(found.total_charge),
            plan=plan.name(language),
            fee=fmt_money(plan.monthly_fee),
        )
        explanation = explain_month(plan, found, await billing.overage_rates())
        if explanation.extra > 0:
            dispatcher.utter_message(
                response="utter_bill_over",
                month=month,
                extra=fmt_money(explanation.extra),
                items=bill_items(explanation, domain, language),
            )
        else:
            dispatcher.utter_message(response="utter_bill_month_at_fee", month=month)
        return []


def bill_items(explanation: MonthExplanation, domain: DomainDict, language: str) -> str:
    """What came on top of the plan fee in one month."""
    items = overage_parts(explanation.report, domain, language, "utter_item_bill_")
    if explanation.other_charges > 0:
        other = render(
            domain, "utter_item_bill_other", language, charge=fmt_money(explanation.other_charges)
        )
        items = join_parts([items, other], language) if items else other
    return items
