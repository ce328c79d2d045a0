"""Credits in the billing port's contract: ``FakeBillingService`` and ``SqlBillingService``
record a credit once per reference, raise the balance by it, and list plan change orders."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from bot.billing.port import (
    BillingUnavailable,
    Credit,
    CreditRefused,
    CustomerNotFound,
)
from tests.contracts.conftest import BillingUnderTest
from tests.fakes import NOW, TODAY, Clock

C1, C3, STRANGER = "+8613800000001", "+8613800000003", "+8613900000000"


async def test_a_credit_raises_the_balance_once_per_reference(billing: BillingUnderTest) -> None:
    service = billing.service
    before = (await service.get_customer(C3)).balance
    first = await service.credit_account(C3, Decimal("205.5"), "TK2611280001")
    assert first == Credit("CR2611280001", C3, Decimal("205.50"), "TK2611280001", NOW)
    again = await service.credit_account(C3, Decimal("205.50"), "TK2611280001")
    assert again == first
    assert (await service.get_customer(C3)).balance == before + Decimal("205.50")
    assert await service.credits(C3) == [first]


async def test_two_approvals_at_once_credit_once(billing: BillingUnderTest) -> None:
    service = billing.service
    before = (await service.get_customer(C3)).balance
    results = await asyncio.gather(
        *(service.credit_account(C3, Decimal("22.00"), "TK2611280007") for _ in range(3))
    )
    assert len({r.credit_id for r in results}) == 1
    assert (await service.get_customer(C3)).balance == before + Decimal("22.00")


async def test_credits_are_listed_newest_first_and_numbered_daily(
    billing: BillingUnderTest, clock: Clock
) -> None:
    service = billing.service
    first = await service.credit_account(C1, Decimal("1.00"), "A")
    clock.now = NOW + dt.timedelta(minutes=5)
    second = await service.credit_account(C1, Decimal("2.00"), "B")
    assert (first.credit_id, second.credit_id) == ("CR2611280001", "CR2611280002")
    assert await service.credits(C1) == [second, first]
    assert await service.credits(C3) == []


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00")])
async def test_nothing_or_less_is_no_credit(billing: BillingUnderTest, amount: Decimal) -> None:
    with pytest.raises(CreditRefused):
        await billing.service.credit_account(C1, amount, "TK2611280001")
    assert await billing.service.credits(C1) == []


async def test_a_reference_credited_to_another_customer_is_refused(
    billing: BillingUnderTest,
) -> None:
    await billing.service.credit_account(C1, Decimal("3.00"), "TK2611280001")
    with pytest.raises(CreditRefused):
        await billing.service.credit_account(C3, Decimal("3.00"), "TK2611280001")
    assert await billing.service.credits(C3) == []


async def test_a_stranger_has_no_credits(billing: BillingUnderTest) -> None:
    with pytest.raises(CustomerNotFound):
        await billing.service.credit_account(STRANGER, Decimal("1.00"), "X")
    with pytest.raises(CustomerNotFound):
        await billing.service.credits(STRANGER)
    with pytest.raises(CustomerNotFound):
        await billing.service.plan_changes(STRANGER)


async def test_plan_changes_are_listed_newest_first(
    billing: BillingUnderTest, clock: Clock
) -> None:
    service = billing.service
    assert await service.plan_changes(C3) == []
    first = await service.place_plan_change(C3, "P58", TODAY.replace(month=12, day=1))
    clock.now = NOW + dt.timedelta(hours=1)
    second = await service.place_plan_change(C3, "P88", TODAY.replace(month=12, day=1))
    assert await service.plan_changes(C3) == [second, first]
    assert await service.plan_changes(C1) == []


async def test_credits_fail_plainly_when_billing_is_down(billing: BillingUnderTest) -> None:
    down = billing.unreachable()
    with pytest.raises(BillingUnavailable):
        await down.credit_account(C1, Decimal("1.00"), "X")
    with pytest.raises(BillingUnavailable):
        await down.credits(C1)
    with pytest.raises(BillingUnavailable):
        await down.plan_changes(C1)


async def test_credits_granted_are_counted_and_summed_from_a_moment(
    billing: BillingUnderTest, clock: Clock
) -> None:
    service = billing.service
    assert await service.credits_granted(NOW) == (0, Decimal("0.00"))
    await service.credit_account(C1, Decimal("1.50"), "A")
    clock.now = NOW + dt.timedelta(days=1)
    await service.credit_account(C3, Decimal("205.50"), "B")
    await service.credit_account(C3, Decimal("205.50"), "B")  # the same credit, once
    assert await service.credits_granted(NOW) == (2, Decimal("207.00"))
    assert await service.credits_granted(NOW + dt.timedelta(hours=1)) == (1, Decimal("205.50"))
