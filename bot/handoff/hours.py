"""The desk's business hours: when agents answer, and when the desk opens next.

Configured by ``DESK_HOURS`` (``09:00-21:00``; ``24:00`` may end a day), ``DESK_DAYS``
(``mon-sun``, ``mon-fri,sun``...) and ``DESK_TIME_ZONE`` (``Asia/Shanghai``), read once by
``bot.config.load_settings``. Hours are wall-clock times in that zone; moments passed in
must be timezone-aware (the stores' naive times are the caller's to convert).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HOURS = "09:00-21:00"
DEFAULT_DAYS = "mon-sun"
DEFAULT_ZONE = "Asia/Shanghai"  # Beijing time


@dataclass(frozen=True)
class DeskHours:
    """Open from ``opens`` to ``closes`` (same day, ``closes`` None: midnight) on ``days``."""

    opens: dt.time = dt.time(9, 0)
    closes: dt.time | None = dt.time(21, 0)
    days: frozenset[int] = frozenset(range(7))  # Monday is 0
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_ZONE))

    def local(self, now: dt.datetime) -> dt.datetime:
        """``now`` (aware) on the desk's wall clock."""
        if now.tzinfo is None:
            raise ValueError("business hours need an aware datetime, not a naive one")
        return now.astimezone(self.zone)

    def is_open(self, now: dt.datetime) -> bool:
        """Whether the desk is open at ``now``."""
        local = self.local(now)
        if local.weekday() not in self.days:
            return False
        clock = local.time().replace(tzinfo=None)
        return self.opens <= clock and (self.closes is None or clock < self.closes)

    def next_opening(self, now: dt.datetime) -> dt.datetime:
        """When the desk next opens, on its wall clock (``now`` itself while it is open)."""
        local = self.local(now)
        if self.is_open(now):
            return local
        for ahead in range(8):
            day = local.date() + dt.timedelta(days=ahead)
            if day.weekday() not in self.days:
                continue
            opening = dt.datetime.combine(day, self.opens, tzinfo=self.zone)
            if opening > local:
                return opening
        raise ValueError("the desk has no open day")  # parse_days refuses an empty set


def parse_time(text: str) -> dt.time | None:
    """``HH:MM``; ``24:00`` is the end of the day (None)."""
    hours, _, minutes = text.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"a time is HH:MM, not {text!r}")
    if (int(hours), int(minutes)) == (24, 0):
        return None
    return dt.time(int(hours), int(minutes))


def parse_hours(text: str) -> tuple[dt.time, dt.time | None]:
    """``09:00-21:00`` as (opens, closes); the desk must open before it closes."""
    start, sep, end = text.partition("-")
    opens, closes = parse_time(start) if sep else None, parse_time(end) if sep else None
    if opens is None:
        raise ValueError(f"DESK_HOURS is like 09:00-21:00, not {text!r}")
    if closes is not None and closes <= opens:
        raise ValueError(f"DESK_HOURS must open before it closes (same day): {text!r}")
    return opens, closes


def parse_days(text: str) -> frozenset[int]:
    """``mon-fri,sun`` as weekday numbers (Monday 0); ranges may wrap (``sat-mon``)."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise ValueError(f"DESK_DAYS is like mon-fri,sun, not {text!r}")
        start, end = DAY_NAMES.index(first), DAY_NAMES.index(last or first)
        days.update((start + n) % 7 for n in range((end - start) % 7 + 1))
    return frozenset(days)


def parse_zone(name: str) -> ZoneInfo:
    """An IANA zone (``Asia/Shanghai``)."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"DESK_TIME_ZONE is not a known time zone: {name!r}") from exc


def load_desk_hours(env: Mapping[str, str]) -> DeskHours:
    """``DESK_HOURS``, ``DESK_DAYS`` and ``DESK_TIME_ZONE`` from ``env`` (raises ``ValueError``)."""
    opens, closes = parse_hours(env.get("DESK_HOURS") or DEFAULT_HOURS)
    return DeskHours(
        opens=opens,
        closes=closes,
        days=parse_days(env.get("DESK_DAYS") or DEFAULT_DAYS),
        zone=parse_zone(env.get("DESK_TIME_ZONE") or DEFAULT_ZONE),
    )
