"""The billing port as the notice scheduler uses it: the fake and the SQL stub alike."""

from __future__ import annotations

import pytest

from bot.billing.port import BillingUnavailable
from bot.notices.facts import all_facts, customer_facts
from tests.contracts.conftest import BillingUnderTest

NUMBERS = [f"+861380000000{i}" for i in range(1, 6)]


async def test_every_customers_number_in_order(billing: BillingUnderTest) -> None:
    assert await billing.service.customer_numbers() == NUMBERS


async def test_the_notice_facts_of_a_customer(billing: BillingUnderTest) -> None:
    facts = await customer_facts(billing.service, "+8613800000005")
    assert (str(facts.balance), str(facts.data_used_gb), str(facts.data_allowance_gb)) == (
        "2.10",
        "4.90",
        "5.00",
    )
    assert (facts.language, facts.bill_month, str(facts.bill_amount)) == ("zh", "2026-10", "23.50")
    assert [f.msisdn async for f in all_facts(billing.service)] == NUMBERS


async def test_numbers_when_billing_is_down(billing: BillingUnderTest) -> None:
    with pytest.raises(BillingUnavailable):
        await billing.unreachable().customer_numbers()
