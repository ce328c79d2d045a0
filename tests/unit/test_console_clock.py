"""The console's clock: stored naive UTC moments shown in the agent's zone, labelled."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.console.web.clock import (
    DEFAULT_ZONE,
    format_time,
    in_zone,
    is_zone,
    iso_time,
    zone_label,
    zone_of,
)
from bot.console.web.i18n import Translator
from bot.storage.clock import utc_from_timestamp, utc_now

LATE_EVENING_UTC = dt.datetime(2026, 11, 28, 17, 30)  # 01:30 on the 29th in Beijing


def test_utc_to_beijing_across_midnight() -> None:
    assert format_time(LATE_EVENING_UTC, "Asia/Shanghai", "zh") == "11-29 01:30:00 北京时间"
    assert format_time(LATE_EVENING_UTC, "Asia/Shanghai", "en") == "11-29 01:30:00 Beijing time"


def test_early_morning_utc_is_the_beijing_working_morning() -> None:
    assert format_time(dt.datetime(2026, 11, 28, 1, 30), DEFAULT_ZONE, "en").startswith(
        "11-28 09:30:00"
    )


def test_london_in_winter_and_in_summer() -> None:
    assert format_time(LATE_EVENING_UTC, "Europe/London", "en") == "11-28 17:30:00 GMT"
    summer = dt.datetime(2026, 7, 1, 23, 15)
    assert format_time(summer, "Europe/London", "zh") == "07-02 00:15:00 BST"


def test_a_zone_without_a_letter_abbreviation_is_called_by_its_name() -> None:
    assert zone_label("Asia/Dubai", "en") == "Asia/Dubai"  # its abbreviation is "+04"
    assert format_time(LATE_EVENING_UTC, "Asia/Dubai", "en") == "11-28 21:30:00 Asia/Dubai"


def test_iso_times_carry_the_offset() -> None:
    assert iso_time(LATE_EVENING_UTC, "Asia/Shanghai") == "2026-11-29T01:30:00+08:00"
    assert iso_time(LATE_EVENING_UTC, "Europe/London") == "2026-11-28T17:30:00+00:00"
    parsed = dt.datetime.fromisoformat(iso_time(LATE_EVENING_UTC, "America/New_York"))
    assert parsed.astimezone(dt.timezone.utc).replace(tzinfo=None) == LATE_EVENING_UTC


def test_an_aware_moment_is_converted_not_relabelled() -> None:
    aware = dt.datetime(2026, 11, 28, 9, 30, tzinfo=zone_of("Asia/Shanghai"))
    assert in_zone(aware, "Europe/London").hour == 1


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "../etc/passwd", None])
def test_unknown_zones_fall_back_to_beijing(name: str | None) -> None:
    assert zone_of(name).key == DEFAULT_ZONE
    assert not is_zone(name or "")


def test_the_translator_formats_in_its_zone() -> None:
    t = Translator("en", "Europe/London")
    assert t.time(LATE_EVENING_UTC) == "11-28 17:30:00 GMT"
    assert t.iso(LATE_EVENING_UTC).endswith("+00:00")
    assert Translator("zh").time(LATE_EVENING_UTC) == "11-29 01:30:00 北京时间"


def test_the_stores_clock_is_naive_utc() -> None:
    before = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    now = utc_now()
    assert now.tzinfo is None and abs((now - before).total_seconds()) < 5
    assert utc_from_timestamp(0) == dt.datetime(1970, 1, 1)
