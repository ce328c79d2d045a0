"""Business hours: open or closed, the next opening across nights, weekends and zones."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.handoff.hours import DeskHours, load_desk_hours, parse_days, parse_hours

UTC = dt.timezone.utc
BEIJING = ZoneInfo("Asia/Shanghai")


def utc(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def default() -> DeskHours:
    return load_desk_hours({})


class TestSettings:
    def test_beijing_nine_to_nine_every_day_by_default(self) -> None:
        hours = default()
        assert (hours.opens, hours.closes) == (dt.time(9), dt.time(21))
        assert hours.days == frozenset(range(7))
        assert hours.zone == BEIJING

    def test_from_the_environment(self) -> None:
        hours = load_desk_hours(
            {"DESK_HOURS": "08:30-24:00", "DESK_DAYS": "mon-fri,sun", "DESK_TIME_ZONE": "UTC"}
        )
        assert (hours.opens, hours.closes) == (dt.time(8, 30), None)
        assert hours.days == frozenset({0, 1, 2, 3, 4, 6})
        assert hours.zone == ZoneInfo("UTC")

    def test_day_ranges_may_wrap_the_week(self) -> None:
        assert parse_days("sat-mon") == frozenset({5, 6, 0})
        assert parse_days("wed") == frozenset({2})

    @pytest.mark.parametrize("bad", ["21:00-09:00", "9-21", "09:00", "09:00-09:00", "25:00-26:00"])
    def test_hours_that_make_no_sense_are_refused(self, bad: str) -> None:
        with pytest.raises(ValueError):
            parse_hours(bad)

    @pytest.mark.parametrize("env", [{"DESK_DAYS": "monday"}, {"DESK_TIME_ZONE": "Mars/Base"}])
    def test_bad_days_or_zone_are_refused(self, env: dict[str, str]) -> None:
        with pytest.raises(ValueError):
            load_desk_hours(env)

    def test_a_naive_moment_is_refused(self) -> None:
        with pytest.raises(ValueError, match="aware"):
            default().is_open(dt.datetime(2026, 12, 7, 3, 0))


class TestOpen:
    def test_beijing_time_not_the_servers(self) -> None:
        hours = default()
        # 01:00 UTC is 09:00 in Beijing: open; 12:59 UTC is 20:59; 13:00 UTC is 21:00: closed.
        assert hours.is_open(utc(2026, 12, 7, 1, 0))
        assert hours.is_open(utc(2026, 12, 7, 12, 59))
        assert not hours.is_open(utc(2026, 12, 7, 13, 0))
        assert not hours.is_open(utc(2026, 12, 7, 0, 59))

    def test_closed_on_days_off(self) -> None:
        weekdays = load_desk_hours({"DESK_DAYS": "mon-fri"})
        saturday_noon = dt.datetime(2026, 12, 12, 12, 0, tzinfo=BEIJING)
        assert saturday_noon.weekday() == 5
        assert not weekdays.is_open(saturday_noon)
        assert weekdays.is_open(saturday_noon - dt.timedelta(days=1))


class TestNextOpening:
    def test_while_open_it_is_now(self) -> None:
        now = utc(2026, 12, 7, 4, 0)
        assert default().next_opening(now) == now.astimezone(BEIJING)

    def test_late_evening_opens_tomorrow_morning(self) -> None:
        # 22:30 Monday in Beijing (14:30 UTC) -> Tuesday 09:00 Beijing.
        opening = default().next_opening(utc(2026, 12, 7, 14, 30))
        assert opening == dt.datetime(2026, 12, 8, 9, 0, tzinfo=BEIJING)

    def test_after_midnight_opens_the_same_morning(self) -> None:
        # 23:30 UTC Monday is 07:30 Tuesday in Beijing: it opens at 09:00 that day.
        opening = default().next_opening(utc(2026, 12, 7, 23, 30))
        assert opening == dt.datetime(2026, 12, 8, 9, 0, tzinfo=BEIJING)
        assert opening.astimezone(UTC) == utc(2026, 12, 8, 1, 0)

    def test_friday_night_opens_on_monday(self) -> None:
        weekdays = load_desk_hours({"DESK_DAYS": "mon-fri"})
        friday_night = dt.datetime(2026, 12, 11, 21, 30, tzinfo=BEIJING)
        assert weekdays.next_opening(friday_night) == dt.datetime(
            2026, 12, 14, 9, 0, tzinfo=BEIJING
        )

    def test_saturday_morning_before_the_weekend_shift(self) -> None:
        weekend = load_desk_hours({"DESK_DAYS": "sat-sun", "DESK_HOURS": "10:00-16:00"})
        early = dt.datetime(2026, 12, 12, 8, 0, tzinfo=BEIJING)
        assert weekend.next_opening(early) == dt.datetime(2026, 12, 12, 10, 0, tzinfo=BEIJING)
        sunday_late = dt.datetime(2026, 12, 13, 16, 0, tzinfo=BEIJING)
        assert weekend.next_opening(sunday_late) == dt.datetime(2026, 12, 19, 10, 0, tzinfo=BEIJING)

    def test_another_zone(self) -> None:
        london = load_desk_hours({"DESK_TIME_ZONE": "Europe/London"})
        # 21:30 in London (winter, UTC+0) -> 09:00 London the next day, 09:00 UTC.
        opening = london.next_opening(utc(2026, 12, 7, 21, 30))
        assert opening.astimezone(UTC) == utc(2026, 12, 8, 9, 0)
        assert opening.tzinfo == ZoneInfo("Europe/London")
