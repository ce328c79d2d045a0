"""The billing calendar's arithmetic: months named relative to a day, a month's bill,
a customer's usual month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.billing.calendar import (
    MonthUsage,
    Tariff,
    closed,
    elapsed_share,
    month_of,
    months_ago,
    months_between,
    pattern,
    shift,
    so_far,
)

ESSENTIAL_38 = Tariff(
    Decimal("38"), Decimal("20"), 200, 100, Decimal("5"), Decimal("0.15"), Decimal("0.10")
)


@pytest.mark.parametrize(
    ("month", "by", "expected"),
    [("2026-12", 1, "2027-01"), ("2027-01", -1, "2026-12"), ("2026-06", -18, "2024-12")],
)
def test_shift_crosses_years(month: str, by: int, expected: str) -> None:
    assert shift(month, by) == expected


def test_months_named_from_any_day() -> None:
    assert month_of(dt.date(2026, 12, 31)) == "2026-12"
    assert months_ago(dt.date(2026, 1, 1), 1) == "2025-12"
    assert months_ago(dt.date(2026, 3, 31), 6) == "2025-09"
    assert months_between("2026-11", "2027-02") == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert months_between("2026-12", "2026-11") == []


def test_a_months_bill_is_the_fee_and_what_went_over() -> None:
    assert ESSENTIAL_38.charge(MonthUsage(Decimal("19.9"), 200, 100)) == Decimal("38.00")
    over = MonthUsage(Decimal("30.9"), 210, 101)  # 10.9 GB, 10 min and 1 SMS over
    assert ESSENTIAL_38.charge(over) == Decimal("38") + Decimal("54.5") + Decimal("1.5") + Decimal(
        "0.1"
    )


def test_the_usual_month_and_a_new_cycle_started_from_it() -> None:
    usual = pattern([MonthUsage(Decimal("1.0"), 70, 3), MonthUsage(Decimal("0.9"), 60, 4)])
    assert usual == MonthUsage(Decimal("1.0"), 65, 4)  # 0.95 rounds half up
    assert pattern([]) == MonthUsage(Decimal(0), 0, 0)
    assert elapsed_share(dt.date(2026, 12, 1)) == 0
    assert so_far(MonthUsage(Decimal("31"), 310, 31), dt.date(2026, 12, 11)) == MonthUsage(
        Decimal("10.0"), 100, 10
    )
    used = MonthUsage(Decimal("40"), 10, 1)
    assert closed(usual, used) == MonthUsage(Decimal("40"), 65, 4)  # more than usual stays
    assert closed(usual, None) == usual
