"""Billing facts for the due-finder, read through the billing port."""

from __future__ import annotations

from collections.abc import AsyncIterator

from bot.billing.packs import pack_data_gb
from bot.billing.port import BillingService, CustomerNotFound
from bot.notices.due import CustomerFacts
from bot.notices.pace import average_month

HISTORY_MONTHS = 6  # the completed months a customer's usual data use is averaged over


async def customer_facts(billing: BillingService, msisdn: str) -> CustomerFacts:
    """One customer's balance, data use against the plan's allowance and the packs bought
    this cycle, their usual month, and their newest bill."""
    customer = await billing.get_customer(msisdn)
    usage = await billing.current_usage(msisdn)
    plans = {plan.code: plan for plan in await billing.list_plans()}
    plan = plans.get(customer.plan_code)
    months = await billing.usage_history(msisdn, months=HISTORY_MONTHS)
    newest = months[-1] if months else None
    # Packs are valid to the end of the month they are bought in: the valid ones are this cycle's.
    packs = await billing.active_data_packs(msisdn)
    on_sale = await billing.list_data_packs()
    return CustomerFacts(
        msisdn=msisdn,
        language=customer.language,
        balance=customer.balance,
        data_used_gb=usage.data_used_gb,
        data_allowance_gb=plan.data_gb if plan else usage.data_used_gb * 0,
        bill_month=newest.month if newest else None,
        bill_amount=newest.total_charge if newest else None,
        usual_data_gb=average_month([m.data_gb for m in months]),
        usual_months=len(months),
        packs_bought=len(packs),
        pack_data_gb=pack_data_gb(packs),
        cheapest_pack=min((pack.price for pack in on_sale), default=None),
    )


async def all_facts(billing: BillingService) -> AsyncIterator[CustomerFacts]:
    """Every customer's facts (one who left meanwhile is skipped)."""
    for msisdn in await billing.customer_numbers():
        try:
            yield await customer_facts(billing, msisdn)
        except CustomerNotFound:
            continue
