"""Journey 2: data, voice and SMS usage in the current cycle."""

from __future__ import annotations

from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, conversation_language
from bot.billing.insights import UsageReport, usage_report
from bot.billing.packs import pack_data_gb
from bot.billing.port import Customer
from bot.domain.formatting import fmt_count, fmt_date, fmt_gb, fmt_money
from bot.domain.responses import join_parts, render


class ActionCheckUsage(AccountAction):
    """Usage against allowances, percentages, reset day and any overage charge."""

    answers = "check_usage"

    def name(self) -> str:
        return "action_check_usage"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        billing = self.services.billing
        plans = {plan.code: plan for plan in await billing.list_plans()}
        usage = await billing.current_usage(customer.msisdn)
        rates = await billing.overage_rates()
        # Data packs add to the month's data allowance (said after the figures).
        packs = await billing.active_data_packs(customer.msisdn)
        plan = plans[customer.plan_code]
        plan = replace(plan, data_gb=plan.data_gb + pack_data_gb(packs))
        report = usage_report(plan, usage, rates, self._today())
        dispatcher.utter_message(
            response="utter_usage",
            reset_date=fmt_date(report.resets_on),
            data_used=fmt_gb(report.data.used),
            data_total=fmt_gb(report.data.included),
            data_pct=report.data.percent_used,
            data_left=fmt_gb(report.data.remaining),
            voice_used=fmt_count(report.voice.used),
            voice_total=fmt_count(report.voice.included),
            voice_pct=report.voice.percent_used,
            voice_left=fmt_count(report.voice.remaining),
            sms_used=fmt_count(report.sms.used),
            sms_total=fmt_count(report.sms.included),
            sms_pct=report.sms.percent_used,
            sms_left=fmt_count(report.sms.remaining),
        )
        if packs:
            dispatcher.utter_message(
                response="utter_usage_packs",
                data=fmt_gb(pack_data_gb(packs)),
                valid_until=fmt_date(max(order.valid_until for order in packs)),
            )
        if report.overage_total > 0:
            items = overage_parts(
                report, domain, conversation_language(tracker), "utter_item_over_"
            )
            dispatcher.utter_message(
                response="utter_usage_over", items=items, charge=fmt_money(report.overage_total)
            )
        return []


def overage_parts(report: UsageReport, domain: DomainDict, language: str, prefix: str) -> str:
    """Each allowance that was exceeded, rendered with response ``<prefix><kind>``.

    The templates may use ``amount`` (over the allowance), ``rate`` and ``charge``.
    """
    parts = [
        render(
            domain,
            f"{prefix}{kind}",
            language,
            amount=fmt_gb(allowance.over) if kind == "data" else fmt_count(allowance.over),
            rate=fmt_money(allowance.rate),
            charge=fmt_money(allowance.overage_charge),
        )
        for kind, allowance in report.allowances()
        if allowance.over > 0
    ]
    return join_parts(parts, language)
