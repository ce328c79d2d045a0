"""Data and bill notices over a month with a movable clock: unusual use explained once,
packs counted, the top-up way for who cannot buy a pack, the bill on the day it appears."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from bot.billing.port import CycleUsage, MonthlyUsage
from tests.fakes import Clock, FakeBillingService, memory_engine
from tests.fakes.notice_rasa import FakeNoticeRasa, Triggered, build_scheduler

C1, C3, C5 = "+8613800000001", "+8613800000003", "+8613800000005"  # P58: 40 GB a month
DATA = ("data_unusual", "data_warn", "data_full")


@pytest.fixture
def engine() -> Engine:
    return memory_engine()


@pytest.fixture
def rasa() -> FakeNoticeRasa:
    return FakeNoticeRasa()


def usual(billing: FakeBillingService, msisdn: str, gb: str, months: int = 6) -> None:
    """Give the customer ``months`` completed months (to 2026-10) of ``gb`` each."""
    billing.history[msisdn] = [
        MonthlyUsage(f"2026-{month:02d}", Decimal(gb), 100, 10, Decimal("58.00"))
        for month in range(11 - months, 11)
    ]


def use(billing: FakeBillingService, msisdn: str, gb: str) -> None:
    billing.usage[msisdn] = CycleUsage(Decimal(gb), 100, 10)


def data_sent(rasa: FakeNoticeRasa, msisdn: str) -> list[Triggered]:
    return [
        t
        for t in rasa.triggered
        if t.conversation_id == msisdn and t.entities["notice_event"] in DATA
    ]


async def test_unusual_use_mid_cycle_is_explained_once_then_80_and_100_percent_without_it(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    clock = Clock(dt.datetime(2026, 11, 5, 10, 0))
    billing = FakeBillingService(clock=clock)
    scheduler = build_scheduler(engine, rasa, clock, billing)
    usual(billing, C1, "20.0")  # 20 GB a month: 10 GB by the 15th is usual
    use(billing, C1, "5.0")
    await scheduler.sweep()
    assert data_sent(rasa, C1) == []
    clock.now = dt.datetime(2026, 11, 12, 10, 0)
    use(billing, C1, "12.0")  # 1.5 times the usual 8 GB by the 12th
    await scheduler.sweep()
    [unusual] = data_sent(rasa, C1)
    assert unusual.intent == "EXTERNAL_notice_data"
    assert unusual.entities["notice_event"] == "data_unusual"
    assert (unusual.entities["notice_unusual"], unusual.entities["notice_months"]) == ("1.5", "6")
    clock.now = dt.datetime(2026, 11, 13, 10, 0)
    use(billing, C1, "15.0")
    await scheduler.sweep()
    assert len(data_sent(rasa, C1)) == 1  # once per cycle
    clock.now = dt.datetime(2026, 11, 20, 10, 0)
    use(billing, C1, "33.0")
    await scheduler.sweep()
    clock.now = dt.datetime(2026, 11, 26, 10, 0)
    use(billing, C1, "41.0")
    await scheduler.sweep()
    _, warn, full = data_sent(rasa, C1)
    assert (warn.entities["notice_event"], full.entities["notice_event"]) == DATA[1:]
    assert "notice_unusual" not in warn.entities and "notice_unusual" not in full.entities
    assert full.entities["notice_follow_up"] == "packs"
    # The next cycle may be explained again.
    clock.now = dt.datetime(2026, 12, 12, 10, 0)
    use(billing, C1, "12.0")
    await scheduler.sweep()
    assert data_sent(rasa, C1)[-1].entities["notice_key"] == f"{C1}/data_unusual/2026-12"


async def test_unusual_use_first_seen_at_80_percent_rides_on_that_notice(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    clock = Clock(dt.datetime(2026, 11, 10, 10, 0))
    billing = FakeBillingService(clock=clock)
    scheduler = build_scheduler(engine, rasa, clock, billing)
    usual(billing, C1, "30.0", months=3)
    use(billing, C1, "33.0")
    await scheduler.sweep()
    [warn] = data_sent(rasa, C1)
    assert warn.entities["notice_event"] == "data_warn"
    assert (warn.entities["notice_unusual"], warn.entities["notice_months"]) == ("3.3", "3")
    clock.now = dt.datetime(2026, 11, 14, 10, 0)
    use(billing, C1, "40.5")
    await scheduler.sweep()
    full = data_sent(rasa, C1)[-1]
    assert full.entities["notice_event"] == "data_full" and "notice_unusual" not in full.entities


async def test_packs_bought_this_cycle_count_in_the_allowance_and_are_said(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    clock = Clock(dt.datetime(2026, 11, 25, 10, 0))
    billing = FakeBillingService(clock=clock)
    scheduler = build_scheduler(engine, rasa, clock, billing)
    billing.customers[C1] = replace(billing.customers[C1], balance=Decimal("100.00"))
    await billing.order_data_pack(C1, "DP5G")
    await billing.order_data_pack(C1, "DP1G")
    use(billing, C1, "35.0")  # 87 % of the plan's 40 GB, 76 % of 46 GB
    await scheduler.sweep()
    assert data_sent(rasa, C1) == []
    use(billing, C1, "37.0")
    await scheduler.sweep()
    [warn] = data_sent(rasa, C1)
    assert warn.entities["notice_limit"] == "46.0" and warn.entities["notice_percent"] == "80"
    assert (warn.entities["notice_packs"], warn.entities["notice_pack_gb"]) == ("2", "6.0")
    # Last month's packs are not this cycle's.
    clock.now = dt.datetime(2026, 12, 25, 10, 0)
    await scheduler.sweep()
    december = data_sent(rasa, C1)[-1]
    assert december.entities["notice_key"] == f"{C1}/data_warn/2026-12"
    assert december.entities["notice_limit"] == "40.0" and "notice_packs" not in december.entities


async def test_who_cannot_buy_a_pack_gets_the_top_up_way_after_100_percent(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    clock = Clock(dt.datetime(2026, 11, 28, 10, 0))
    billing = FakeBillingService(clock=clock)
    use(billing, C3, "60.0")  # in arrears
    use(billing, C5, "6.0")  # 2.10 yuan: less than the 10-yuan pack
    use(billing, C1, "41.0")  # 23.50 yuan
    await build_scheduler(engine, rasa, clock, billing).sweep()
    offers = {n: data_sent(rasa, n)[-1].entities["notice_follow_up"] for n in (C1, C3, C5)}
    assert offers == {C1: "packs", C3: "top_up", C5: "top_up"}


async def test_the_bill_notice_goes_out_the_day_the_bill_appears_and_not_before(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    clock = Clock(dt.datetime(2026, 11, 30, 20, 0))
    billing = FakeBillingService(clock=clock)
    scheduler = build_scheduler(engine, rasa, clock, billing)
    await scheduler.sweep()  # October's bills, sent in November

    def bills() -> list[str]:
        return [
            t.entities["notice_key"]
            for t in rasa.triggered
            if t.conversation_id == C1 and t.entities["notice_event"] == "bill"
        ]

    assert bills() == [f"{C1}/bill/2026-10"]
    clock.now = dt.datetime(2026, 12, 1, 8, 0)
    await scheduler.sweep()
    assert bills() == [f"{C1}/bill/2026-10"]  # November's bill is not there yet
    clock.now = dt.datetime(2026, 12, 1, 9, 30)  # the month closes: November's bill appears
    billing.history[C1].append(MonthlyUsage("2026-11", Decimal("31.2"), 120, 12, Decimal("58.00")))
    report = await scheduler.sweep()
    assert f"{C1}/bill/2026-11" in report.sent
    bill = next(t for t in rasa.triggered if t.entities["notice_key"] == f"{C1}/bill/2026-11")
    assert (bill.entities["notice_month"], bill.entities["notice_amount"]) == ("2026-11", "58.00")
    clock.now = dt.datetime(2026, 12, 1, 9, 35)
    await scheduler.sweep()
    assert bills() == [f"{C1}/bill/2026-10", f"{C1}/bill/2026-11"]  # once


async def test_a_bill_that_appears_during_the_night_goes_out_at_eight(
    engine: Engine, rasa: FakeNoticeRasa
) -> None:
    clock = Clock(dt.datetime(2026, 12, 1, 0, 30))
    billing = FakeBillingService(clock=clock)
    billing.history[C1].append(MonthlyUsage("2026-11", Decimal("31.2"), 120, 12, Decimal("58.00")))
    scheduler = build_scheduler(engine, rasa, clock, billing)
    assert (await scheduler.sweep()).quiet
    clock.now = dt.datetime(2026, 12, 1, 8, 0)
    assert f"{C1}/bill/2026-11" in (await scheduler.sweep()).sent
