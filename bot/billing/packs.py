"""Pure rules of data packs (add-on data): validity and what is still valid."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from bot.billing.port import DataPackOrder

ZERO_GB = Decimal("0.00")


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s calendar month: a pack bought that day is valid until then."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_start(moment: dt.datetime) -> dt.datetime:
    """Midnight on the first day of ``moment``'s month."""
    return dt.datetime(moment.year, moment.month, 1)


def day_start(moment: dt.datetime) -> dt.datetime:
    """Midnight of ``moment``'s day."""
    return dt.datetime(moment.year, moment.month, moment.day)


def pack_data_gb(orders: Iterable[DataPackOrder]) -> Decimal:
    """The data the packs add, in GB."""
    return sum((order.pack.data_gb for order in orders), start=ZERO_GB)
