"""Times as agents read them: a stored moment in the agent's time zone, labelled.

Every store of the project stamps naive datetimes in UTC (``bot.storage.clock.utc_now``;
Rasa's event timestamps are converted with ``utc_from_timestamp``). The console never
shows such a moment bare: ``format_time`` converts it to the agent's zone
(``agents.time_zone``, Asia/Shanghai unless the agent chose another) and says which
zone it is in: "北京时间" / "Beijing time" for Asia/Shanghai, otherwise the zone's
abbreviation (``GMT``, ``BST``, ``CET``) or, where it has none, its name.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE = "Asia/Shanghai"  # agents.time_zone's default
# Zones with a name of their own in the console's languages: zone -> (Chinese, English).
ZONE_NAMES: dict[str, tuple[str, str]] = {"Asia/Shanghai": ("北京时间", "Beijing time")}
TIME_FORMAT = "%m-%d %H:%M:%S"


@functools.lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    """Every zone an agent may choose (the system's tz database)."""
    return frozenset(available_timezones())


def is_zone(name: str) -> bool:
    """Whether ``name`` is a zone of the tz database, e.g. "Europe/London"."""
    return name in zone_names()


@functools.lru_cache(maxsize=64)
def zone_of(name: str | None) -> ZoneInfo:
    """The zone called ``name``; Beijing for none or an unknown name."""
    if name and is_zone(name):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(DEFAULT_ZONE)


def in_zone(moment: dt.datetime, zone: str | ZoneInfo) -> dt.datetime:
    """``moment`` (naive: UTC; aware: converted) as an aware datetime in ``zone``."""
    tz = zone if isinstance(zone, ZoneInfo) else zone_of(zone)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(tz)


def zone_label(zone: str | ZoneInfo, language: str, moment: dt.datetime | None = None) -> str:
    """What the zone is called: "北京时间", "Beijing time", "GMT"/"BST" (at ``moment``)."""
    tz = zone if isinstance(zone, ZoneInfo) else zone_of(zone)
    named = ZONE_NAMES.get(tz.key)
    if named is not None:
        return named[0] if language == "zh" else named[1]
    local = in_zone(moment or dt.datetime(2000, 1, 1), tz)
    abbreviation = local.tzname() or ""
    if abbreviation and abbreviation[0].isalpha():
        return abbreviation
    return tz.key  # zones without a letter abbreviation call themselves "+04" and the like


def format_time(
    moment: dt.datetime, zone: str | ZoneInfo, language: str, *, pattern: str = TIME_FORMAT
) -> str:
    """A stored moment as shown in the console: "11-28 09:30:00 北京时间"."""
    local = in_zone(moment, zone)
    return f"{local.strftime(pattern)} {zone_label(zone, language, moment)}"


def iso_time(moment: dt.datetime, zone: str | ZoneInfo) -> str:
    """A stored moment as ISO 8601 with the zone's offset (``datetime`` attributes, JSON)."""
    return in_zone(moment, zone).isoformat(timespec="seconds")
