"""Savings found: which customers are losing money on their plan, and the plan to offer (pure).

From the last six completed months (at least three), a customer is offered a plan when

- **overage**: they paid overage in at least three of them, and another plan would have
  cost less on average (its fee plus its own overage on the same usage), or
- **room to spare**: a cheaper plan covers every month's data, voice and SMS within 80 %
  of its allowances (the cheapest such plan is offered).

Either way the saving is at least ``MIN_SAVING`` a month. Costs are computed from usage
and the overage rates, so value-added services and fees on the bills do not count. A
customer in arrears gets no offer; a plan with a minimum age only a customer that old.
"At most once per quarter" is the notice key (number, ``plan_offer``, ``2026-Q4``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from bot.billing.insights import ZERO, money, usage_report
from bot.billing.port import Customer, MonthlyUsage, OverageRates, Plan
from bot.domain.formatting import fmt_money
from bot.notices.due import PLAN_OFFER, Notice

HISTORY_MONTHS = 6  # the months an offer is based on
MIN_MONTHS = 3  # fewer completed months say too little
OVERAGE_MONTHS = 3  # overage in at least this many of them
ROOM = Decimal("0.8")  # a cheaper plan's allowances, used at most this much every month
MIN_SAVING = Decimal("5.00")  # yuan a month: less is not worth a message
OVERAGE = "overage"
ROOMY = "roomy"


@dataclass(frozen=True)
class Offer:
    """A plan to offer ``msisdn``, and what it saves a month over ``months`` months."""

    msisdn: str
    plan: Plan
    current: Plan
    saving: Decimal  # yuan a month, on average
    months: int
    reason: str  # OVERAGE | ROOMY


def quarter_of(day: dt.date) -> str:
    """The offer's cycle: ``2026-Q4``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def recent_months(history: list[MonthlyUsage], today: dt.date) -> list[MonthlyUsage]:
    """The completed months among the ``HISTORY_MONTHS`` before today's month."""
    first = _months_back(today, HISTORY_MONTHS)
    current = f"{today:%Y-%m}"
    return [m for m in history if first <= m.month < current][-HISTORY_MONTHS:]


def find_offer(
    customer: Customer,
    plans: list[Plan],
    rates: OverageRates,
    history: list[MonthlyUsage],
    today: dt.date,
) -> Offer | None:
    """The plan that saves ``customer`` money, or None (see the module's rules)."""
    if customer.balance < 0:
        return None
    months = recent_months(history, today)
    current = next((p for p in plans if p.code == customer.plan_code), None)
    if current is None or len(months) < MIN_MONTHS:
        return None
    age = customer.age(today)
    others = [
        p for p in plans if p.code != current.code and (p.min_age is None or age >= p.min_age)
    ]
    offer = _overage_offer(current, others, rates, months) or _roomy_offer(
        current, others, rates, months
    )
    if offer is None:
        return None
    plan, reason = offer
    saving = money(average_cost(current, rates, months) - average_cost(plan, rates, months))
    if saving < MIN_SAVING:
        return None
    return Offer(customer.msisdn, plan, current, saving, len(months), reason)


def average_cost(plan: Plan, rates: OverageRates, months: list[MonthlyUsage]) -> Decimal:
    """What the months would have cost a month on ``plan``: its fee plus its overage."""
    total = sum((plan.monthly_fee + _overage(plan, rates, m) for m in months), ZERO)
    return total / len(months)


def offer_notice(offer: Offer, language: str, today: dt.date) -> Notice:
    """The offer as a notice of this quarter (its figures become the text's values)."""
    figures = {
        "notice_plan": offer.plan.code,
        "notice_saving": fmt_money(offer.saving),
        "notice_months": str(offer.months),
        "notice_language": language,
    }
    return Notice(offer.msisdn, PLAN_OFFER, quarter_of(today), figures)


def _overage_offer(
    current: Plan, others: list[Plan], rates: OverageRates, months: list[MonthlyUsage]
) -> tuple[Plan, str] | None:
    paid = sum(1 for m in months if _overage(current, rates, m) > 0)
    if paid < OVERAGE_MONTHS or not others:
        return None
    best = min(others, key=lambda p: (average_cost(p, rates, months), p.monthly_fee, p.code))
    return best, OVERAGE


def _roomy_offer(
    current: Plan, others: list[Plan], rates: OverageRates, months: list[MonthlyUsage]
) -> tuple[Plan, str] | None:
    roomy = [
        p
        for p in others
        if p.monthly_fee < current.monthly_fee and all(_fits(p, m) for m in months)
    ]
    if not roomy:
        return None
    return min(roomy, key=lambda p: (p.monthly_fee, p.code)), ROOMY


def _overage(plan: Plan, rates: OverageRates, month: MonthlyUsage) -> Decimal:
    year, mon = (int(part) for part in month.month.split("-"))
    return usage_report(plan, month, rates, dt.date(year, mon, 1)).overage_total


def _fits(plan: Plan, month: MonthlyUsage) -> bool:
    return (
        Decimal(month.data_gb) <= ROOM * plan.data_gb
        and Decimal(month.voice_min) <= ROOM * plan.voice_min
        and Decimal(month.sms) <= ROOM * plan.sms
    )


def _months_back(today: dt.date, count: int) -> str:
    """``YYYY-MM`` of the month ``count`` months before today's."""
    index = today.year * 12 + today.month - 1 - count
    return f"{index // 12}-{index % 12 + 1:02d}"
