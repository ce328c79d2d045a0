"""The due-finder and the quiet hours: pure rules on billing facts and the clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.domain.notice_kinds import NoticeKind
from bot.notices.due import CustomerFacts, cycle_of, due_notices, previous_cycle
from bot.notices.quiet import is_quiet, local_time, quiet_until
from bot.notices.settings import NoticeSettings, load_notice_settings
from tests.fakes import NOW

SETTINGS = NoticeSettings()
NIGHT, MORNING = dt.time(22, 0), dt.time(8, 0)


def facts(**changes: object) -> CustomerFacts:
    base: dict[str, object] = {
        "msisdn": "+8613800000001",
        "language": "zh",
        "balance": Decimal("23.50"),
        "data_used_gb": Decimal("10.0"),
        "data_allowance_gb": Decimal("40.00"),
        "bill_month": None,
        "bill_amount": None,
    }
    return CustomerFacts(**{**base, **changes})  # type: ignore[arg-type]


def events(found: CustomerFacts, now: dt.datetime = NOW) -> dict[str, dict[str, str]]:
    return {n.event: n.figures for n in due_notices(found, now, SETTINGS)}


def test_nothing_is_due_for_a_customer_with_money_data_and_no_new_bill() -> None:
    assert due_notices(facts(), NOW, SETTINGS) == []


def test_a_balance_below_the_threshold_is_a_low_balance_notice_with_both_figures() -> None:
    found = due_notices(facts(balance=Decimal("2.10")), NOW, SETTINGS)
    assert [(n.kind, n.event, n.cycle) for n in found] == [
        (NoticeKind.BALANCE, "low_balance", "2026-11")
    ]
    assert found[0].figures == {
        "notice_amount": "2.10",
        "notice_limit": "5.00",
        "notice_language": "zh",
    }
    assert found[0].key == "+8613800000001/low_balance/2026-11"
    assert found[0].intent == "EXTERNAL_notice_balance"


def test_exactly_the_threshold_is_not_low_and_a_negative_balance_is_arrears() -> None:
    assert events(facts(balance=Decimal("5.00"))) == {}
    assert events(facts(balance=Decimal("-12.30")))["arrears"]["notice_amount"] == "12.30"


def test_the_threshold_is_configurable() -> None:
    settings = NoticeSettings(balance_threshold=Decimal("30"))
    assert [n.event for n in due_notices(facts(), NOW, settings)] == ["low_balance"]


@pytest.mark.parametrize(
    ("used", "event", "percent"),
    [
        ("31.9", None, None),
        ("32.0", "data_warn", "80"),
        ("39.9", "data_warn", "99"),
        ("40.0", "data_full", "100"),
        ("45.0", "data_full", "100"),
    ],
)
def test_data_at_80_and_at_100_percent(used: str, event: str | None, percent: str | None) -> None:
    found = events(facts(data_used_gb=Decimal(used)))
    if event is None:
        assert found == {}
        return
    assert list(found) == [event]
    assert found[event]["notice_percent"] == percent
    assert found[event]["notice_limit"] == "40.0"


def test_a_plan_without_data_gets_no_data_notice() -> None:
    assert events(facts(data_allowance_gb=Decimal("0"), data_used_gb=Decimal("1"))) == {}


def test_the_bill_notice_is_for_last_months_bill_and_its_cycle_is_the_bills_month() -> None:
    found = due_notices(facts(bill_month="2026-10", bill_amount=Decimal("100")), NOW, SETTINGS)
    assert [(n.event, n.cycle, n.figures["notice_amount"]) for n in found] == [
        ("bill", "2026-10", "100.00")
    ]
    # An older bill is no news.
    assert events(facts(bill_month="2026-09", bill_amount=Decimal("100"))) == {}


def test_cycles_are_calendar_months() -> None:
    assert cycle_of(dt.datetime(2027, 1, 1, 0, 5)) == "2027-01"
    assert previous_cycle("2027-01") == "2026-12"
    assert previous_cycle("2026-11") == "2026-10"


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [
        ((21, 59), False),
        ((22, 0), True),
        ((23, 30), True),
        ((0, 0), True),
        ((7, 59), True),
        ((8, 0), False),
        ((12, 0), False),
    ],
)
def test_quiet_hours_run_over_midnight(clock: tuple[int, int], quiet: bool) -> None:
    assert is_quiet(dt.datetime(2026, 11, 28, *clock), NIGHT, MORNING) is quiet


def test_quiet_hours_end_at_eight_the_next_morning() -> None:
    assert quiet_until(dt.datetime(2026, 11, 28, 23, 0), NIGHT, MORNING) == dt.datetime(
        2026, 11, 29, 8, 0
    )
    assert quiet_until(dt.datetime(2026, 11, 29, 6, 0), NIGHT, MORNING) == dt.datetime(
        2026, 11, 29, 8, 0
    )
    assert quiet_until(dt.datetime(2026, 11, 29, 9, 0), NIGHT, MORNING) is None


def test_a_window_within_one_day_and_an_empty_one() -> None:
    lunch = (dt.time(12, 0), dt.time(14, 0))
    assert is_quiet(dt.datetime(2026, 11, 28, 13, 0), *lunch)
    assert not is_quiet(dt.datetime(2026, 11, 28, 23, 0), *lunch)
    assert not is_quiet(dt.datetime(2026, 11, 28, 23, 0), NIGHT, NIGHT)


def test_an_aware_time_is_read_in_beijing_time() -> None:
    utc = dt.datetime(2026, 11, 28, 14, 30, tzinfo=dt.timezone.utc)  # 22:30 in Beijing
    local = local_time(utc, ZoneInfo("Asia/Shanghai"))
    assert local == dt.datetime(2026, 11, 28, 22, 30)
    assert is_quiet(local, NIGHT, MORNING)


def test_settings_from_the_environment() -> None:
    settings = load_notice_settings(
        {
            "NOTICE_BALANCE_THRESHOLD": "10",
            "NOTICE_QUIET_START": "21:30",
            "NOTICE_QUIET_END": "7",
            "NOTICE_INTERVAL_SECONDS": "60",
        }
    )
    assert settings.balance_threshold == Decimal("10")
    assert (settings.quiet_start, settings.quiet_end) == (dt.time(21, 30), dt.time(7, 0))
    assert settings.interval_seconds == 60
    assert load_notice_settings({}) == NoticeSettings()
