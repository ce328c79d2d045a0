"""Plan offer tests: fakes with proposals and answers on the notices' database, an offer sent."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from bot.billing.port import Plan
from bot.notices.due import Notice
from bot.notices.offer_responses import OfferResponses
from bot.notices.routes import Route
from bot.notices.store import NoticeStore
from bot.state.proposals import ProposalStore
from bot.wiring import Services
from tests.fakes import NOW, FakeBillingService, fake_services, memory_engine
from tests.unit.trackers import C2

KEY = f"{C2}/plan_offer/2026-Q4"
FIGURES = {"notice_plan": "P38", "notice_saving": "50.00", "notice_months": "6"}


@pytest.fixture
def engine() -> Engine:
    return memory_engine()


@pytest.fixture
def billing() -> FakeBillingService:
    return FakeBillingService()


@pytest.fixture
def wired(engine: Engine, billing: FakeBillingService) -> Services:
    """The fakes, with proposals and answers on the database the notices are recorded in."""
    return dataclasses.replace(
        fake_services(),
        billing=billing,
        proposals=ProposalStore(engine),
        offer_responses=OfferResponses(engine),
    )


def plan(billing: FakeBillingService, code: str) -> Plan:
    return next(p for p in billing.plans if p.code == code)


async def sent_offer(engine: Engine, msisdn: str = C2, figures: dict[str, str] = FIGURES) -> str:
    """Record the offer notice as the scheduler does once Rasa has it; its key."""
    notice = Notice(msisdn, "plan_offer", "2026-Q4", {**figures, "notice_language": "zh"})
    store = NoticeStore(engine)
    await store.claim(notice, Route(msisdn, "sms"), "a", NOW, dt.timedelta(minutes=5))
    await store.mark_sent(notice, NOW)
    return notice.key
