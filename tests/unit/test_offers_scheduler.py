"""Plan offers through the notice scheduler, with a movable clock: once a quarter, never at
night, never to a customer who turned offers off or is in arrears, senior plans to seniors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from bot.billing.port import MonthlyUsage
from bot.domain.notice_kinds import NoticeKind
from bot.notices.offer_finder import OfferFinder
from bot.notices.preferences import NoticePreferences
from bot.notices.routes import NoticeRoutes
from bot.notices.scheduler import NoticeScheduler
from bot.notices.sender import NoticeSender
from bot.notices.settings import NoticeSettings
from bot.notices.store import NoticeStore
from tests.fakes import Clock, FakeBillingService, memory_engine
from tests.fakes.notice_rasa import FakeNoticeRasa, Triggered

C1, C2, C3, C5 = "+8613800000001", "+8613800000002", "+8613800000003", "+8613800000005"
FEBRUARY = dt.datetime(2027, 2, 10, 10, 0)  # the six months before: 2026-08 .. 2027-01
MONTHS = ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01"]


def history(data_gb: float, voice: int = 60, sms: int = 5) -> list[MonthlyUsage]:
    """Six months of the same use (charges are not what the finder reads)."""
    return [MonthlyUsage(m, Decimal(str(data_gb)), voice, sms, Decimal("0")) for m in MONTHS]


@pytest.fixture
def engine() -> Engine:
    return memory_engine()


@pytest.fixture
def clock() -> Clock:
    return Clock(FEBRUARY)


@pytest.fixture
def billing(clock: Clock) -> FakeBillingService:
    """Three customers whose six months the tests set: Talk 18 at 16 GB (55 yuan of overage
    a month), Max 88 at 1 GB (a 73-year-old), Essential 38 at 30 GB in arrears."""
    fake = FakeBillingService(clock=clock)
    fake.customers = {n: c for n, c in fake.customers.items() if n in (C2, C3, C5)}
    fake.history[C5] = history(16)
    fake.history[C2] = history(0.5)
    fake.history[C3] = history(30)
    return fake


def scheduler(
    engine: Engine, rasa: FakeNoticeRasa, clock: Clock, billing: FakeBillingService
) -> NoticeScheduler:
    """The scheduler as ``bot.notices.wiring`` builds it, with the fakes."""
    store = NoticeStore(engine)
    return NoticeScheduler(
        billing=billing,
        store=store,
        routes=NoticeRoutes(engine),
        sender=NoticeSender(rasa),
        preferences=NoticePreferences(engine),
        settings=NoticeSettings(),
        clock=clock,
        owner="scheduler-a",
        offers=OfferFinder(billing, store),
    )


def offers(rasa: FakeNoticeRasa) -> list[Triggered]:
    return [t for t in rasa.triggered if t.intent == "EXTERNAL_notice_offer"]


async def test_overpaying_customers_are_offered_the_plan_once_a_quarter(
    engine: Engine, clock: Clock, billing: FakeBillingService
) -> None:
    rasa = FakeNoticeRasa()
    sweeps = scheduler(engine, rasa, clock, billing)
    report = await sweeps.sweep()
    assert sorted(k for k in report.sent if "/plan_offer/" in k) == [
        f"{C2}/plan_offer/2027-Q1",
        f"{C5}/plan_offer/2027-Q1",
    ]
    by_number = {t.conversation_id: t.entities for t in offers(rasa)}
    assert C3 not in by_number  # in arrears
    five = by_number[C5]
    # Talk 18 with 16 GB: 18 + 11 x 5 = 73.00 a month; Essential 38 covers it: 38.00.
    assert (five["notice_plan"], five["notice_saving"], five["notice_months"]) == (
        "P38",
        "35.00",
        "6",
    )
    assert five["notice_event"] == "plan_offer" and five["language"] == "zh"
    # Once a quarter: not again this quarter, whatever the customer answered ...
    clock.now = dt.datetime(2027, 3, 31, 20, 0)
    assert [k for k in (await sweeps.sweep()).sent if "/plan_offer/" in k] == []
    # ... and again in the next one, from the months before it (four of them now recent).
    clock.now = dt.datetime(2027, 4, 1, 9, 0)
    again = await sweeps.sweep()
    assert f"{C5}/plan_offer/2027-Q2" in again.sent
    assert offers(rasa)[-1].entities["notice_months"] == "4"


async def test_a_senior_plan_goes_only_to_a_customer_old_enough(
    engine: Engine, clock: Clock, billing: FakeBillingService
) -> None:
    billing.customers[C1] = FakeBillingService().customers[C1]  # born 1988, Plus 58
    billing.history[C1] = history(0.5)
    rasa = FakeNoticeRasa()
    await scheduler(engine, rasa, clock, billing).sweep()
    plans = {t.conversation_id: t.entities["notice_plan"] for t in offers(rasa)}
    assert plans[C2] == "SENIOR8"  # Li Xiuying, born 1953
    assert plans[C1] == "P18"


async def test_no_offer_to_a_customer_who_turned_offers_off(
    engine: Engine, clock: Clock, billing: FakeBillingService
) -> None:
    await NoticePreferences(engine).set_enabled(C5, NoticeKind.OFFER, False)
    rasa = FakeNoticeRasa()
    report = await scheduler(engine, rasa, clock, billing).sweep()
    assert [t.conversation_id for t in offers(rasa)] == [C2]
    assert f"{C5}/low_balance/2027-02" in report.sent  # the other kinds still go


async def test_no_offer_in_arrears_even_with_overage(
    engine: Engine, clock: Clock, billing: FakeBillingService
) -> None:
    billing.customers = {C3: billing.customers[C3]}
    rasa = FakeNoticeRasa()
    report = await scheduler(engine, rasa, clock, billing).sweep()
    assert offers(rasa) == [] and f"{C3}/arrears/2027-02" in report.sent


async def test_no_offer_during_quiet_hours_then_at_eight(
    engine: Engine, clock: Clock, billing: FakeBillingService
) -> None:
    clock.now = dt.datetime(2027, 2, 10, 22, 30)
    rasa = FakeNoticeRasa()
    sweeps = scheduler(engine, rasa, clock, billing)
    assert (await sweeps.sweep()).quiet and rasa.triggered == []
    clock.now = dt.datetime(2027, 2, 11, 8, 0)
    await sweeps.sweep()
    assert {t.conversation_id for t in offers(rasa)} == {C2, C5}


async def test_a_customer_who_uses_their_plan_well_gets_no_offer(
    engine: Engine, clock: Clock, billing: FakeBillingService
) -> None:
    billing.history[C5] = history(4.5, voice=70)  # Talk 18 fits
    billing.history[C2] = history(50, voice=600)  # Max 88 fits
    rasa = FakeNoticeRasa()
    await scheduler(engine, rasa, clock, billing).sweep()
    assert offers(rasa) == []
