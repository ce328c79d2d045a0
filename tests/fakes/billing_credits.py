"""Credits of ``FakeBillingService``, as the SQL stub records them (``bot.billing.sql_credits``):
once per reference, the balance raised by the amount, ids ``CR2611280001`` in a daily
sequence; and the plan change orders, newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from bot.billing.port import Credit, CreditRefused, Customer, PlanChangeOrder

_CENT = Decimal("0.01")


class FakeCredits:
    """The credit calls of the billing port, kept in memory (mixed into the fake)."""

    clock: Callable[[], dt.datetime]
    customers: dict[str, Customer]
    orders: list[PlanChangeOrder]
    credit_list: list[Credit]

    def _check(self, msisdn: str | None = None) -> Customer | None:
        raise NotImplementedError  # FakeBillingService's

    async def plan_changes(self, msisdn: str) -> list[PlanChangeOrder]:
        self._check(msisdn)
        found = [o for o in self.orders if o.msisdn == msisdn]
        return sorted(found, key=lambda o: (o.created_at, o.order_id), reverse=True)

    async def credit_account(self, msisdn: str, amount: Decimal, reference: str) -> Credit:
        now = self.clock()
        if amount <= 0:
            raise CreditRefused(f"a credit must be above zero, not {amount}")
        customer = self._check(msisdn)
        assert customer is not None
        first = next((c for c in self.credit_list if c.reference == reference), None)
        if first is not None:
            if first.msisdn != msisdn:
                raise CreditRefused(f"reference {reference} is another customer's credit")
            return first
        stem = f"CR{now:%y%m%d}"
        number = sum(1 for c in self.credit_list if c.credit_id.startswith(stem)) + 1
        credit = Credit(f"{stem}{number:04d}", msisdn, amount.quantize(_CENT), reference, now)
        self.credit_list.append(credit)
        self.customers[msisdn] = replace(customer, balance=customer.balance + credit.amount)
        return credit

    async def credits(self, msisdn: str) -> list[Credit]:
        self._check(msisdn)
        found = [c for c in self.credit_list if c.msisdn == msisdn]
        return sorted(found, key=lambda c: (c.created_at, c.credit_id), reverse=True)

    async def credits_granted(self, since: dt.datetime) -> tuple[int, Decimal]:
        granted = [c.amount for c in self.credit_list if c.created_at >= since]
        return len(granted), sum(granted, Decimal("0.00"))
