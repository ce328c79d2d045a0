"""Exact number formats: money with two decimals, data in GB with one decimal."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


def fmt_money(amount: Decimal) -> str:
    """``23.5`` -> ``"23.50"``."""
    return str(Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fmt_gb(amount: Decimal) -> str:
    """``31.25`` -> ``"31.3"``."""
    return str(Decimal(amount).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def fmt_count(amount: Decimal | int) -> str:
    """Whole minutes or messages: ``120``; averages are rounded half up."""
    return str(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fmt_date(day: dt.date) -> str:
    """ISO dates read the same in both languages: ``2026-12-01``."""
    return day.isoformat()
