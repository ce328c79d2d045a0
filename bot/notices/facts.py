"""Billing facts for the due-finder, read through the billing port."""

from __future__ import annotations

from collections.abc import AsyncIterator

from bot.billing.port import BillingService, CustomerNotFound
from bot.notices.due import CustomerFacts


async def customer_facts(billing: BillingService, msisdn: str) -> CustomerFacts:
    """One customer's balance, data use against the plan's allowance and newest bill."""
    customer = await billing.get_customer(msisdn)
    usage = await billing.current_usage(msisdn)
    plans = {plan.code: plan for plan in await billing.list_plans()}
    plan = plans.get(customer.plan_code)
    bills = await billing.usage_history(msisdn, months=1)
    newest = bills[-1] if bills else None
    return CustomerFacts(
        msisdn=msisdn,
        language=customer.language,
        balance=customer.balance,
        data_used_gb=usage.data_used_gb,
        data_allowance_gb=plan.data_gb if plan else usage.data_used_gb * 0,
        bill_month=newest.month if newest else None,
        bill_amount=newest.total_charge if newest else None,
    )


async def all_facts(billing: BillingService) -> AsyncIterator[CustomerFacts]:
    """Every customer's facts (one who left meanwhile is skipped)."""
    for msisdn in await billing.customer_numbers():
        try:
            yield await customer_facts(billing, msisdn)
        except CustomerNotFound:
            continue
