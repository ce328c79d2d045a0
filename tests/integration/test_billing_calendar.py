"""The demo lives in today's calendar: seeded relative to a day, closed month by month.

A real SQLite billing stub seeded as of a day (``seed --as-of``), read through the
SQL billing service with a clock the test moves: when a month ends its bill appears
(once, whichever process sees it first), a plan change ordered for the new cycle
takes effect, and the new cycle starts from the customer's usual month. Seeding
again adds what is missing and changes no month already billed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import UsageHistoryRow
from bot.billing.seed import seed_database
from bot.billing.sql import SqlBillingService
from bot.storage.db import make_engine
from tests.fakes import SEED
from tests.integration.conftest import Clock

C1, C2, C3 = "+8613800000001", "+8613800000002", "+8613800000003"


def seeded(tmp_path: Path, day: dt.date) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'billing.db'}")
    assert seed_database(engine, SEED, as_of=day)
    return engine


def history_rows(engine: Engine) -> list[tuple[str, str, Decimal, Decimal]]:
    with Session(engine) as session:
        rows = session.scalars(select(UsageHistoryRow).order_by(UsageHistoryRow.id))
        return [(r.msisdn, r.month, r.data_gb, r.total_charge) for r in rows]


async def months(billing: SqlBillingService, msisdn: str, count: int = 6) -> list[str]:
    return [m.month for m in await billing.usage_history(msisdn, months=count)]


async def test_six_completed_months_before_the_day_seeded(tmp_path: Path) -> None:
    engine = seeded(tmp_path, dt.date(2026, 12, 7))
    billing = SqlBillingService(engine, clock=lambda: dt.datetime(2026, 12, 7, 9, 0))
    assert await months(billing, C3) == [
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
        "2026-11",
    ]
    last = (await billing.usage_history(C3, months=1))[0]
    assert (last.month, last.total_charge) == ("2026-11", Decimal("100.00"))
    assert (await billing.current_usage(C1)).data_used_gb == Decimal("31.2")  # partly used


async def test_a_new_year_is_a_day_like_any_other(tmp_path: Path) -> None:
    engine = seeded(tmp_path, dt.date(2027, 1, 1))
    billing = SqlBillingService(engine, clock=lambda: dt.datetime(2027, 1, 1, 0, 5))
    assert (await months(billing, C1))[-2:] == ["2026-11", "2026-12"]


async def test_a_month_that_ends_gets_its_bill_and_a_new_cycle(tmp_path: Path) -> None:
    engine = seeded(tmp_path, dt.date(2026, 11, 28))
    clock = Clock(dt.datetime(2026, 11, 28, 10, 0))
    billing = SqlBillingService(engine, clock=clock)
    assert (await months(billing, C3))[-1] == "2026-10"
    clock.now = dt.datetime(2026, 12, 1, 0, 1)
    november = (await billing.usage_history(C3, months=1))[0]
    # Her usual month (30.9 GB on average) was more than the 23.5 GB used so far:
    # Essential 38 with 10.9 GB over at 5 yuan.
    assert (november.month, november.data_gb, november.total_charge) == (
        "2026-11",
        Decimal("30.9"),
        Decimal("92.50"),
    )
    assert (await billing.current_usage(C3)).data_used_gb == Decimal("0.0")  # the 1st
    clock.now = dt.datetime(2026, 12, 16, 12, 0)  # the same cycle: nothing more closes
    assert len(await months(billing, C3, 12)) == 7


async def test_a_plan_change_takes_effect_with_the_new_cycle(tmp_path: Path) -> None:
    engine = seeded(tmp_path, dt.date(2026, 11, 28))
    clock = Clock(dt.datetime(2026, 11, 28, 10, 0))
    billing = SqlBillingService(engine, clock=clock)
    await billing.place_plan_change(C1, "P88", dt.date(2026, 12, 1))
    assert (await billing.get_customer(C1)).plan_code == "P58"
    clock.now = dt.datetime(2026, 12, 2, 8, 0)
    assert (await billing.get_customer(C1)).plan_code == "P88"
    november = (await billing.usage_history(C1, months=1))[0]
    assert november.total_charge == Decimal("58.00")  # still billed on the old plan


async def test_months_missed_while_stopped_are_closed_once_by_two_processes(
    tmp_path: Path,
) -> None:
    engine = seeded(tmp_path, dt.date(2026, 9, 10))
    later = dt.datetime(2026, 12, 7, 9, 0)
    first = SqlBillingService(engine, clock=lambda: later)
    second = SqlBillingService(make_engine(str(engine.url)), clock=lambda: later)
    await asyncio.gather(first.usage_history(C2), second.usage_history(C2))
    assert (await months(first, C2))[-3:] == ["2026-09", "2026-10", "2026-11"]
    rows = history_rows(engine)
    assert len(rows) == len({(msisdn, month) for msisdn, month, _, _ in rows})  # once each
    share = Decimal(6) / Decimal(31)  # 7 December: six days of the usual month used
    usual = Decimal("0.9")  # Li Xiuying's six months average (0.85)
    assert (await first.current_usage(C2)).data_used_gb == (usual * share).quantize(Decimal("0.1"))


async def test_seeding_again_adds_the_missing_months_and_changes_nothing(tmp_path: Path) -> None:
    engine = seeded(tmp_path, dt.date(2026, 10, 20))
    before = history_rows(engine)
    assert seed_database(engine, SEED, as_of=dt.date(2026, 10, 25)) is False
    assert history_rows(engine) == before
    assert seed_database(engine, SEED, as_of=dt.date(2026, 12, 7)) is True
    after = history_rows(engine)
    assert after[: len(before)] == before  # every earlier month as it was
    added = {month for _, month, _, _ in after[len(before) :]}
    assert added == {"2026-10", "2026-11"}
