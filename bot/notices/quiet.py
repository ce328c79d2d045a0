"""Quiet hours: no notice between ``quiet_start`` and ``quiet_end`` in the operator's zone.

Times are compared in the operator's zone (Asia/Shanghai by default). A naive
``datetime`` is taken to be in that zone already (the tests' fake clock); an aware one
is converted. Everything the scheduler stores is naive local time of that zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def local_time(now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """``now`` as naive wall-clock time in ``zone``."""
    if now.tzinfo is None:
        return now
    return now.astimezone(zone).replace(tzinfo=None)


def is_quiet(local: dt.datetime, start: dt.time, end: dt.time) -> bool:
    """Whether the wall-clock time ``local`` falls in the quiet hours [start, end).

    The window may run over midnight (22:00-08:00) or not (13:00-14:00); start ==
    end means no quiet hours.
    """
    clock = local.time()
    if start == end:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def quiet_until(local: dt.datetime, start: dt.time, end: dt.time) -> dt.datetime | None:
    """When the quiet hours around ``local`` end (None: it is not quiet now)."""
    if not is_quiet(local, start, end):
        return None
    day = local.date()
    if start > end and local.time() >= start:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, end)


def quiet_now(start: dt.time, end: dt.time, zone: ZoneInfo) -> bool:
    """Whether it is the quiet hours now, in ``zone``."""
    return is_quiet(local_time(dt.datetime.now(dt.timezone.utc), zone), start, end)
