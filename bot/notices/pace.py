"""Whether a customer's data use this cycle is unusual for them (pure).

The rule: the use so far is compared with the customer's own average month (up to six
completed months) prorated to the day of the cycle, today counted as used. Before a
third of the cycle has passed the comparison is with a third of the average month, so
a few busy days early on are not unusual but racing through the month's data is. The
use is unusual when it is at least ``factor`` times that (1.5 by default) and at least
``MIN_USED_GB``; a customer without history, or whose average is zero, is never unusual.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

MIN_USED_GB = Decimal("1")  # below this nothing is worth explaining
EARLIEST_SHARE = Decimal(1) / Decimal(3)  # the comparison never prorates below a third
_TENTH = Decimal("0.1")


def average_month(months: Sequence[Decimal]) -> Decimal | None:
    """The average of the completed months' data use (None without any)."""
    return sum(months, start=Decimal(0)) / len(months) if months else None


def elapsed_share(local: dt.datetime) -> Decimal:
    """How much of the calendar month has passed, today counted: the 15th of 30 is 0.5."""
    days = calendar.monthrange(local.year, local.month)[1]
    return Decimal(local.day) / Decimal(days)


def unusual_ratio(
    used_gb: Decimal, average_gb: Decimal | None, local: dt.datetime, factor: Decimal
) -> Decimal | None:
    """How many times the usual use by now the customer used (``1.8``), when that is at
    least ``factor``; None when the use is not unusual."""
    if average_gb is None or average_gb <= 0 or used_gb < MIN_USED_GB:
        return None
    usual_by_now = average_gb * max(elapsed_share(local), EARLIEST_SHARE)
    ratio = used_gb / usual_by_now
    if ratio < factor:
        return None
    return ratio.quantize(_TENTH, rounding=ROUND_DOWN)
