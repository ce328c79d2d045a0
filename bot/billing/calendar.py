"""The billing calendar of the demo: months named relative to a day, and the pattern a
customer's new months follow (pure).

The billing cycle is the calendar month. The seed file names its past months by how
long ago they ended (``months_ago: 1`` is the last completed month), so the demo
lives in the calendar of the day it is seeded, and the stub closes each month as
it ends (``bot.billing.sql_calendar``): the month's bill appears and the next cycle
starts from the customer's usual pattern.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HISTORY_MONTHS = 6  # completed months the demo keeps for each customer


def month_of(day: dt.date) -> str:
    """``2026-12`` for any day of December 2026."""
    return f"{day:%Y-%m}"


def shift(month: str, months: int) -> str:
    """The month ``months`` after (negative: before) ``month``: ``shift("2026-01", -1)``
    is ``2025-12``."""
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


def months_ago(day: dt.date, count: int) -> str:
    """The month that ended ``count`` months before ``day``'s (1: the last completed)."""
    return shift(month_of(day), -count)


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included (empty if ``first`` is later)."""
    found: list[str] = []
    month = first
    while month <= last:
        found.append(month)
        month = shift(month, 1)
    return found


def elapsed_share(day: dt.date) -> Decimal:
    """How much of ``day``'s cycle has passed when the day begins (0 on the 1st)."""
    days = _calendar.monthrange(day.year, day.month)[1]
    return Decimal(day.day - 1) / Decimal(days)


@dataclass(frozen=True)
class MonthUsage:
    """One month's use: data (GB), voice (minutes), SMS."""

    data_gb: Decimal
    voice_min: int
    sms: int


@dataclass(frozen=True)
class Tariff:
    """What a month costs: the plan's fee and allowances, and the overage rates."""

    fee: Decimal
    data_gb: Decimal
    voice_min: int
    sms: int
    per_gb: Decimal
    per_min: Decimal
    per_sms: Decimal

    def charge(self, usage: MonthUsage) -> Decimal:
        """The month's bill: the fee and the overage beyond the allowances."""
        over_data = max(usage.data_gb - self.data_gb, Decimal(0)) * self.per_gb
        over_voice = max(usage.voice_min - self.voice_min, 0) * self.per_min
        over_sms = max(usage.sms - self.sms, 0) * self.per_sms
        total = self.fee + over_data + over_voice + over_sms
        return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pattern(history: list[MonthUsage]) -> MonthUsage:
    """A customer's usual month: the average of their history (nothing if none)."""
    if not history:
        return MonthUsage(Decimal(0), 0, 0)
    count = len(history)
    data = sum((m.data_gb for m in history), Decimal(0)) / count
    return MonthUsage(
        data.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        round(sum(m.voice_min for m in history) / count),
        round(sum(m.sms for m in history) / count),
    )


def so_far(usual: MonthUsage, day: dt.date) -> MonthUsage:
    """The usual month's use up to the start of ``day`` (the new cycle's first figures)."""
    share = elapsed_share(day)
    return MonthUsage(
        (usual.data_gb * share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        int(usual.voice_min * share),
        int(usual.sms * share),
    )


def closed(usual: MonthUsage, used: MonthUsage | None) -> MonthUsage:
    """A month as it closes: the usual month, or more where the cycle already used more."""
    if used is None:
        return usual
    return MonthUsage(
        max(usual.data_gb, used.data_gb),
        max(usual.voice_min, used.voice_min),
        max(usual.sms, used.sms),
    )
