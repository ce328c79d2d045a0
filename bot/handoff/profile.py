"""The customer profile shown to agents, from the billing port."""

from __future__ import annotations

import datetime as dt

from bot.billing.insights import usage_report
from bot.billing.port import BillingError, BillingService
from bot.domain.formatting import fmt_count, fmt_gb, fmt_money
from bot.handoff.desk import CustomerProfile, TicketLine


async def customer_profile(
    billing: BillingService, msisdn: str, language: str, today: dt.date
) -> CustomerProfile | None:
    """Name, plan, balance, current usage and open tickets; None for a non-customer."""
    try:
        customer = await billing.get_customer(msisdn)
        plans = {p.code: p for p in await billing.list_plans()}
        plan = plans[customer.plan_code]
        report = usage_report(
            plan, await billing.current_usage(msisdn), await billing.overage_rates(), today
        )
        tickets = await billing.tickets(msisdn, open_only=True)
    except BillingError:
        return None
    usage = (
        f"data {fmt_gb(report.data.used)}/{fmt_gb(report.data.included)} GB, "
        f"voice {fmt_count(report.voice.used)}/{fmt_count(report.voice.included)} min, "
        f"SMS {fmt_count(report.sms.used)}/{fmt_count(report.sms.included)}"
    )
    return CustomerProfile(
        msisdn=msisdn,
        name=customer.name(language),
        language=customer.language,
        plan=f"{plan.name(language)} ({plan.code}, {fmt_money(plan.monthly_fee)})",
        balance=fmt_money(customer.balance),
        usage=usage,
        open_tickets=[
            TicketLine(t.ticket_id, t.category.value, t.status.value, t.created_at) for t in tickets
        ],
    )
