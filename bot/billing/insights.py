"""Pure billing rules: usage against allowances, bill explanations, plan advice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bot.billing.port import Customer, CycleUsage, MonthlyUsage, OverageRates, Plan

HEADROOM = Decimal("1.1")
CENT = Decimal("0.01")
ZERO = Decimal("0")


def money(value: Decimal) -> Decimal:
    """Round to cents, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def next_cycle_start(today: dt.date) -> dt.date:
    """The first day of the month after ``today``: when allowances reset."""
    if today.month == 12:
        return dt.date(today.year + 1, 1, 1)
    return dt.date(today.year, today.month + 1, 1)


@dataclass(frozen=True)
class Allowance:
    """One kind of usage (data, voice or SMS) against the plan's allowance."""

    used: Decimal
    included: Decimal
    rate: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(self.included - self.used, ZERO)

    @property
    def over(self) -> Decimal:
        return max(self.used - self.included, ZERO)

    @property
    def percent_used(self) -> int:
        if self.included <= 0:
            return 100
        return int((self.used * 100 / self.included).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def overage_charge(self) -> Decimal:
        return money(self.over * self.rate)


@dataclass(frozen=True)
class UsageReport:
    """Usage of the cycle in progress against the plan."""

    data: Allowance
    voice: Allowance
    sms: Allowance
    resets_on: dt.date

    def allowances(self) -> tuple[tuple[str, Allowance], ...]:
        """The three allowances by kind: ``data``, ``voice``, ``sms``."""
        return (("data", self.data), ("voice", self.voice), ("sms", self.sms))

    @property
    def overage_total(self) -> Decimal:
        return self.data.overage_charge + self.voice.overage_charge + self.sms.overage_charge


def usage_report(
    plan: Plan, usage: CycleUsage | MonthlyUsage, rates: OverageRates, today: dt.date
) -> UsageReport:
    """Compare usage with the plan's allowances."""
    if isinstance(usage, CycleUsage):
        data, voice, sms = usage.data_used_gb, usage.voice_used_min, usage.sms_used
    else:
        data, voice, sms = usage.data_gb, usage.voice_min, usage.sms
    return UsageReport(
        data=Allowance(Decimal(data), Decimal(plan.data_gb), rates.data_per_gb),
        voice=Allowance(Decimal(voice), Decimal(plan.voice_min), rates.voice_per_min),
        sms=Allowance(Decimal(sms), Decimal(plan.sms), rates.sms_each),
        resets_on=next_cycle_start(today),
    )


@dataclass(frozen=True)
class MonthExplanation:
    """Why a month's charge differs from the plan fee."""

    month: str
    total: Decimal
    plan_fee: Decimal
    report: UsageReport

    @property
    def extra(self) -> Decimal:
        return money(self.total - self.plan_fee)

    @property
    def other_charges(self) -> Decimal:
        """Part of the extra not explained by overage (value-added services, fees)."""
        return money(max(self.extra - self.report.overage_total, ZERO))


def explain_month(plan: Plan, month: MonthlyUsage, rates: OverageRates) -> MonthExplanation:
    """Break a month's charge down into the plan fee and what came on top."""
    year, mon = (int(part) for part in month.month.split("-"))
    report = usage_report(plan, month, rates, dt.date(year, mon, 1))
    return MonthExplanation(month.month, money(month.total_charge), plan.monthly_fee, report)


@dataclass(frozen=True)
class Recommendation:
    """The cheapest eligible plan that fits the customer's average usage."""

    plan: Plan
    current: Plan
    average_charge: Decimal
    average_data_gb: Decimal
    average_voice_min: Decimal
    average_sms: Decimal

    @property
    def keeps_current(self) -> bool:
        return self.plan.code == self.current.code

    @property
    def monthly_difference(self) -> Decimal:
        """New fee minus the average actual charge (negative: a saving)."""
        return money(self.plan.monthly_fee - self.average_charge)


def recommend_plan(
    customer: Customer, plans: list[Plan], history: list[MonthlyUsage], today: dt.date
) -> Recommendation:
    """Recommend the cheapest eligible plan whose allowances are each >= 1.1 x average usage.

    If no plan is big enough the largest eligible one is recommended.
    """
    if not history:
        raise ValueError("a recommendation needs usage history")
    count = Decimal(len(history))
    avg_data = sum((Decimal(m.data_gb) for m in history), ZERO) / count
    avg_voice = sum((Decimal(m.voice_min) for m in history), ZERO) / count
    avg_sms = sum((Decimal(m.sms) for m in history), ZERO) / count
    avg_charge = money(sum((m.total_charge for m in history), ZERO) / count)
    age = customer.age(today)
    eligible = sorted(
        (p for p in plans if p.min_age is None or age >= p.min_age),
        key=lambda p: (p.monthly_fee, p.code),
    )
    fitting = [
        p
        for p in eligible
        if p.data_gb >= HEADROOM * avg_data
        and p.voice_min >= HEADROOM * avg_voice
        and p.sms >= HEADROOM * avg_sms
    ]
    chosen = fitting[0] if fitting else eligible[-1]
    current = next(p for p in plans if p.code == customer.plan_code)
    return Recommendation(chosen, current, avg_charge, avg_data, avg_voice, avg_sms)
