"""Overage credited against a new plan: which months count, how much, and the ticket that
asks for it.

A customer who ordered a plan change in the last ``RECENT_SWITCH`` may ask for a review
of the overage they paid before it. Each completed month before the change (of the last
``REVIEW_MONTHS``) counts when the old plan charged overage and the new plan would have
cost less for the same usage: its fee, overage at the operator's rates, and the month's
other charges (value-added services), which the change does not touch. The credit asked
is the sum of the differences. The billing-adjustment ticket carries the figures for the
agent, and its last line the amount that approval credits (``asked_credit``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from bot.billing.insights import ZERO, explain_month, money, usage_report
from bot.billing.port import (
    ComplaintCategory,
    MonthlyUsage,
    OverageRates,
    Plan,
    PlanChangeOrder,
    Ticket,
)

REVIEW_MONTHS = 6  # completed months looked at
RECENT_SWITCH = dt.timedelta(days=92)  # a plan change ordered within about a quarter counts
CATEGORY = ComplaintCategory.ADJUSTMENT
_ASKED = re.compile(r"^Credit asked: (\d+\.\d{2}) yuan$", re.MULTILINE)


@dataclass(frozen=True)
class MonthCredit:
    """One month with overage: what was paid and what the new plan would have cost."""

    month: str
    paid: Decimal
    overage: Decimal  # charged by the old plan
    new_cost: Decimal

    @property
    def credit(self) -> Decimal:
        return money(self.paid - self.new_cost)


@dataclass(frozen=True)
class OverageReview:
    """The months of overage a plan change would have saved, and the credit they make."""

    order: PlanChangeOrder
    old_plan: Plan
    new_plan: Plan
    months: tuple[MonthCredit, ...]
    months_seen: int

    @property
    def paid(self) -> Decimal:
        return money(sum((m.paid for m in self.months), ZERO))

    @property
    def new_cost(self) -> Decimal:
        return money(sum((m.new_cost for m in self.months), ZERO))

    @property
    def credit(self) -> Decimal:
        return money(sum((m.credit for m in self.months), ZERO))


def recent_switch(orders: Iterable[PlanChangeOrder], today: dt.date) -> PlanChangeOrder | None:
    """The newest plan change ordered since ``today - RECENT_SWITCH`` (None: no switch)."""
    recent = [
        o
        for o in orders
        if o.to_plan != o.from_plan and o.created_at.date() >= today - RECENT_SWITCH
    ]
    return max(recent, key=lambda o: (o.created_at, o.order_id), default=None)


def review_overage(
    order: PlanChangeOrder,
    plans: Iterable[Plan],
    history: Iterable[MonthlyUsage],
    rates: OverageRates,
) -> OverageReview:
    """The months before the change that the new plan would have made cheaper."""
    by_code = {p.code: p for p in plans}
    old, new = by_code[order.from_plan], by_code[order.to_plan]
    before = [m for m in history if m.month < f"{order.effective_date:%Y-%m}"]
    months = []
    for usage in before:
        paid = explain_month(old, usage, rates)
        if paid.report.overage_total <= 0:
            continue
        on_new = usage_report(new, usage, rates, order.effective_date).overage_total
        new_cost = money(new.monthly_fee + on_new + paid.other_charges)
        if new_cost < paid.total:
            months.append(MonthCredit(usage.month, paid.total, paid.report.overage_total, new_cost))
    return OverageReview(order, old, new, tuple(months), len(before))


def describe(review: OverageReview) -> str:
    """The ticket's text for the agent; its last line is the amount approval credits."""
    order = review.order
    lines = [
        f"Overage credit review: plan change {order.order_id} {order.from_plan} -> "
        f"{order.to_plan} from {order.effective_date:%Y-%m-%d}.",
        *(
            f"{m.month}: paid {m.paid} (overage {m.overage}), on {order.to_plan} "
            f"{m.new_cost}, credit {m.credit}"
            for m in review.months
        ),
        f"Total: paid {review.paid}, on {order.to_plan} {review.new_cost}.",
        f"Credit asked: {review.credit} yuan",
    ]
    return "\n".join(lines)


def asked_credit(ticket: Ticket) -> Decimal | None:
    """The credit a billing-adjustment ticket asks for (None: not such a ticket)."""
    if ticket.category != CATEGORY:
        return None
    found = _ASKED.findall(ticket.description)
    return Decimal(found[-1]) if found else None


def reviews_order(ticket: Ticket, order: PlanChangeOrder) -> bool:
    """Whether the ticket is the credit review of this plan change."""
    return ticket.category == CATEGORY and f" {order.order_id} " in ticket.description
