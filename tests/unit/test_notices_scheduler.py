"""The notice scheduler with a controllable clock: what is sent, once per cycle, never at
night, not to a customer who turned it off, and retried after Rasa failed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from bot.billing.port import CycleUsage
from bot.domain.notice_kinds import NoticeKind
from bot.notices.preferences import NoticePreferences
from bot.state.tables import PhoneVerificationRow, SessionRow, TelegramLinkRow
from bot.storage.db import in_session
from tests.fakes import NOW, Clock, FakeBillingService, memory_engine
from tests.fakes.notice_rasa import FakeNoticeRasa, build_scheduler

C1, C3, C5 = "+8613800000001", "+8613800000003", "+8613800000005"


@pytest.fixture
def engine() -> Engine:
    return memory_engine()


@pytest.fixture
def rasa() -> FakeNoticeRasa:
    return FakeNoticeRasa()


def sent(rasa: FakeNoticeRasa) -> list[tuple[str, str, str]]:
    return sorted(
        (t.conversation_id, t.entities["notice_event"], t.channel) for t in rasa.triggered
    )


async def test_a_sweep_sends_every_due_notice_on_sms_in_the_customers_language(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    report = await build_scheduler(engine, rasa, Clock()).sweep()
    found = sent(rasa)
    # The demo data: customer 5 is low on money and at 98 % of their data, customer 3 owes
    # 12.30; every customer has last month's bill.
    assert (C5, "low_balance", "sms") in found and (C5, "data_warn", "sms") in found
    assert (C3, "arrears", "sms") in found
    assert sorted(c for c, event, _ in found if event == "bill") == [
        f"+861380000000{i}" for i in range(1, 6)
    ]
    assert len(report.sent) == len(found) and not report.failed
    low = next(t for t in rasa.triggered if t.entities["notice_event"] == "low_balance")
    assert low.intent == "EXTERNAL_notice_balance"
    assert low.entities["notice_amount"] == "2.10" and low.entities["notice_limit"] == "5.00"
    assert low.entities["notice_key"] == f"{C5}/low_balance/2026-11"
    languages = {t.conversation_id: t.entities["language"] for t in rasa.triggered}
    billing = FakeBillingService()
    assert languages == {n: billing.customers[n].language for n in languages}


async def test_each_notice_once_per_cycle_and_again_in_the_next(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    clock = Clock()
    billing = FakeBillingService(clock=clock)
    scheduler = build_scheduler(engine, rasa, clock, billing)
    first = await scheduler.sweep()
    clock.now = NOW + dt.timedelta(hours=3)
    assert (await scheduler.sweep()).sent == []
    # Customer 5 reaches 100 % later in the cycle: that is a new event.
    billing.usage[C5] = CycleUsage(Decimal("5.00"), 60, 10)
    assert (await scheduler.sweep()).sent == [f"{C5}/data_full/2026-11"]
    full = rasa.triggered[-1]
    assert full.intent == "EXTERNAL_notice_data_full" and full.entities["notice_percent"] == "100"
    # The next cycle: the balance notices again, last month's bill not again.
    clock.now = dt.datetime(2026, 12, 1, 9, 0)
    again = await scheduler.sweep()
    assert f"{C5}/low_balance/2026-12" in again.sent and f"{C3}/arrears/2026-12" in again.sent
    assert not [k for k in again.sent if "/bill/" in k]
    assert len(first.sent) == len(set(first.sent))


async def test_nothing_between_22_and_8_beijing_time_then_at_8(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    clock = Clock(dt.datetime(2026, 11, 28, 22, 0))
    scheduler = build_scheduler(engine, rasa, clock)
    assert (await scheduler.sweep()).quiet
    clock.now = dt.datetime(2026, 11, 29, 7, 59)
    assert (await scheduler.sweep()).quiet and rasa.triggered == []
    clock.now = dt.datetime(2026, 11, 29, 8, 0)
    assert (await scheduler.sweep()).sent and rasa.triggered


async def test_an_aware_utc_clock_is_read_in_beijing_time(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    at = dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.timezone.utc)  # 23:00 in Beijing
    assert (await build_scheduler(engine, rasa, lambda: at).sweep()).quiet
    quiet_in_utc = build_scheduler(engine, rasa, lambda: at, timezone="UTC")
    assert (await quiet_in_utc.sweep()).sent


async def test_quiet_hours_are_configurable(engine: Engine, rasa: FakeNoticeRasa) -> None:
    clock = Clock(dt.datetime(2026, 11, 28, 21, 0))
    scheduler = build_scheduler(engine, rasa, clock, quiet_start=dt.time(20, 0))
    assert (await scheduler.sweep()).quiet


async def test_a_kind_the_customer_turned_off_is_not_sent(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    await NoticePreferences(engine).set_enabled(C5, NoticeKind.BALANCE, False)
    await build_scheduler(engine, rasa, Clock()).sweep()
    events = {event for c, event, _ in sent(rasa) if c == C5}
    assert events == {"data_warn", "bill"}


async def test_a_kind_turned_on_again_is_sent_at_the_next_sweep(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    preferences = NoticePreferences(engine)
    await preferences.set_enabled(C5, NoticeKind.BALANCE, False)
    scheduler = build_scheduler(engine, rasa, Clock())
    await scheduler.sweep()
    assert "low_balance" not in {event for c, event, _ in sent(rasa) if c == C5}
    await preferences.set_enabled(C5, NoticeKind.BALANCE, True)
    await scheduler.sweep()
    low = [event for c, event, _ in sent(rasa) if c == C5 and event == "low_balance"]
    assert low == ["low_balance"]  # once, now that it is on again


async def test_a_failed_send_is_retried_after_the_retry_delay_and_sent_once(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    clock = Clock()
    scheduler = build_scheduler(engine, rasa, clock, retry_seconds=60)
    rasa.down = True
    report = await scheduler.sweep()
    assert report.failed and not report.sent
    rasa.down = False
    clock.now = NOW + dt.timedelta(seconds=30)
    assert (await scheduler.sweep()).sent == []  # not yet
    clock.now = NOW + dt.timedelta(seconds=61)
    retried = await scheduler.sweep()
    assert sorted(retried.sent) == sorted(report.failed)
    keys = [t.entities["notice_key"] for t in rasa.triggered]
    assert len(keys) == len(set(keys)) == len(report.failed)


async def test_a_notice_rasa_ran_but_whose_answer_was_lost_is_only_marked_sent(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    clock = Clock()
    scheduler = build_scheduler(engine, rasa, clock, retry_seconds=60)
    rasa.lose_answers = True
    lost = await scheduler.sweep()
    assert lost.failed
    rasa.lose_answers = False
    clock.now = NOW + dt.timedelta(minutes=2)
    again = await scheduler.sweep()
    assert sorted(again.found_sent) == sorted(lost.failed) and again.sent == []
    keys = [t.entities["notice_key"] for t in rasa.triggered]
    assert len(keys) == len(set(keys))


async def test_the_conversations_language_wins_over_billings(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    rasa.slots[C5] = {"language": "en"}  # customer 5 is Chinese in billing
    await build_scheduler(engine, rasa, Clock()).sweep()
    assert {t.entities["language"] for t in rasa.triggered if t.conversation_id == C5} == {"en"}


async def test_the_notice_goes_to_the_channel_used_last(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    web = "web-AAAAAAAAAAAAAAAAAAAAAA.0123456789abcdef0123456789abcdef"

    def work(s) -> None:  # type: ignore[no-untyped-def]
        s.add(TelegramLinkRow(telegram_user_id=42, msisdn=C5, linked_at=NOW - dt.timedelta(days=9)))
        s.add(SessionRow(conversation_id=C5, channel="sms", started_at=NOW - dt.timedelta(days=5)))
        s.add(
            SessionRow(
                conversation_id="tg-42", channel="telegram", started_at=NOW - dt.timedelta(days=1)
            )
        )
        s.add(
            PhoneVerificationRow(
                conversation_id=web,
                channel="rest",
                msisdn=C3,
                code_hash="x",
                status="verified",
                attempts=1,
                created_at=NOW - dt.timedelta(hours=2),
                expires_at=NOW,
                verified_at=NOW - dt.timedelta(hours=2),
            )
        )
        s.commit()

    await in_session(engine, work)
    await build_scheduler(engine, rasa, Clock()).sweep()
    routes = {(t.conversation_id, t.channel) for t in rasa.triggered}
    assert ("tg-42", "telegram") in routes and (C5, "sms") not in routes
    assert (web, "rest") in routes and (C3, "sms") not in routes
    assert (C1, "sms") in routes  # no other channel: SMS
