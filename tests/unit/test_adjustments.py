"""The overage review (``bot.billing.adjustments``): which months count, how much, and the
ticket text an approval reads the amount back from."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from bot.billing.adjustments import (
    asked_credit,
    describe,
    recent_switch,
    review_overage,
    reviews_order,
)
from bot.billing.port import (
    ComplaintCategory,
    MonthlyUsage,
    OverageRates,
    Plan,
    PlanChangeOrder,
    Ticket,
    TicketStatus,
)

D = Decimal
RATES = OverageRates(D("5.00"), D("0.15"), D("0.10"))
P38 = Plan("P38", "畅享38", "Essential 38", D("38.00"), D("20"), 200, 100)
P58 = Plan("P58", "畅享58", "Plus 58", D("58.00"), D("40"), 500, 100)
CREATED = dt.datetime(2026, 11, 20, 9, 0)
ORDER = PlanChangeOrder(
    "PC2611200001", "+8613800000003", "P38", "P58", dt.date(2026, 12, 1), CREATED
)


def month(name: str, data: str, charge: str, voice: int = 150) -> MonthlyUsage:
    return MonthlyUsage(name, D(data), voice, 20, D(charge))


def test_months_with_overage_count_at_the_new_plans_cost() -> None:
    history = [
        month("2026-08", "28.4", "80.00"),  # 8.4 GB over: 42.00
        month("2026-09", "18.0", "38.00"),  # no overage: not counted
        month("2026-10", "33.5", "115.50"),  # 67.50 overage, 10.00 of other charges
    ]
    review = review_overage(ORDER, [P38, P58], history, RATES)
    assert [(m.month, m.paid, m.new_cost, m.credit) for m in review.months] == [
        ("2026-08", D("80.00"), D("58.00"), D("22.00")),
        ("2026-10", D("115.50"), D("68.00"), D("47.50")),
    ]
    assert (review.paid, review.new_cost, review.credit) == (D("195.50"), D("126.00"), D("69.50"))
    assert review.months_seen == 3


def test_a_month_the_new_plan_would_not_have_made_cheaper_is_left_out() -> None:
    history = [month("2026-10", "21.0", "43.00")]  # 5.00 overage; P58 costs 58.00
    review = review_overage(ORDER, [P38, P58], history, RATES)
    assert review.months == () and review.credit == D("0.00")


def test_months_from_the_change_on_are_not_reviewed() -> None:
    order = replace(ORDER, effective_date=dt.date(2026, 10, 1))
    history = [month("2026-09", "28.4", "80.00"), month("2026-10", "45.0", "83.00")]
    review = review_overage(order, [P38, P58], history, RATES)
    assert [m.month for m in review.months] == ["2026-09"] and review.months_seen == 1


def test_a_recent_switch_is_the_newest_order_of_the_last_quarter() -> None:
    older = replace(ORDER, order_id="PC2608010001", created_at=dt.datetime(2026, 8, 1, 9, 0))
    today = dt.date(2026, 11, 28)
    assert recent_switch([older, ORDER], today) == ORDER
    assert recent_switch([older], today) is None
    same_plan = replace(ORDER, to_plan="P38")
    assert recent_switch([same_plan], today) is None


def test_the_ticket_carries_the_figures_and_the_amount_approval_credits() -> None:
    review = review_overage(ORDER, [P38, P58], [month("2026-08", "28.4", "80.00")], RATES)
    text = describe(review)
    assert "2026-08: paid 80.00 (overage 42.00), on P58 58.00, credit 22.00" in text
    ticket = Ticket(
        "TK2611280001",
        ORDER.msisdn,
        ComplaintCategory.ADJUSTMENT,
        text,
        None,
        TicketStatus.OPEN,
        False,
        CREATED,
    )
    assert asked_credit(ticket) == D("22.00")
    assert reviews_order(ticket, ORDER)
    assert not reviews_order(ticket, replace(ORDER, order_id="PC2611200002"))
    complaint = replace(ticket, category=ComplaintCategory.BILLING)
    assert asked_credit(complaint) is None  # a customer's own words never credit anything
