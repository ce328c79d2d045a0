"""A plan offer end to end: the scheduler (with a controllable clock) finds a customer paying
for a plan far bigger than her use, the offer reaches her by SMS, "1" makes the usual
proposal with its quote, a second "1" orders it, and the dashboard's counts show it."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import PlanChangeOrderRow
from bot.billing.port import MonthlyUsage
from bot.handoff.rasa_api import RasaAdminClient
from bot.notices.offer_finder import OfferFinder
from bot.notices.offer_responses import OfferResponses
from bot.notices.preferences import NoticePreferences
from bot.notices.routes import NoticeRoutes
from bot.notices.scheduler import NoticeScheduler
from bot.notices.sender import NoticeSender
from bot.notices.settings import NoticeSettings
from bot.notices.store import NoticeStore
from bot.state.tables import NoticeRow, OfferResponseRow
from bot.storage.db import make_engine
from tests.e2e.conftest import DEMO
from tests.e2e.test_journeys import say
from tests.fakes import Clock, FakeBillingService, FakeSmsGateway
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

C2 = DEMO[1]  # Li Xiuying, Max 88, born 1953
OFFER = (
    "【套餐优惠】根据您近6个月的用量，改用畅享38元套餐（月费38.00元）每月可省约50.00元。"
    "需要为您办理吗？回复 QXYHTX 不再接收优惠推荐。\n1. 办理\n2. 暂不需要"
)


@pytest.fixture(autouse=True)
def no_offer_recorded(state_db: Engine, billing_db: Engine) -> Iterator[None]:
    """The customer's notices and answers start unrecorded; her plan change goes after."""
    with state_db.begin() as connection:
        connection.execute(delete(NoticeRow).where(NoticeRow.msisdn == C2))
        connection.execute(delete(OfferResponseRow).where(OfferResponseRow.msisdn == C2))
    yield
    with billing_db.begin() as connection:
        connection.execute(delete(PlanChangeOrderRow).where(PlanChangeOrderRow.msisdn == C2))


def six_months(clock: Clock) -> list[MonthlyUsage]:
    """Six completed months of 2 GB and 120 minutes: Essential 38 covers them with room."""
    first = clock.now.year * 12 + clock.now.month - 1 - 6
    months = [f"{(first + i) // 12}-{(first + i) % 12 + 1:02d}" for i in range(6)]
    return [MonthlyUsage(m, Decimal(2), 120, 5, Decimal("88.00")) for m in months]


def offer_scheduler(stack: Stack, clock: Clock) -> NoticeScheduler:
    """The scheduler as ``bot.notices.wiring`` builds it, on billing facts for C2 alone."""
    billing = FakeBillingService(clock=clock)
    billing.customers = {C2: billing.customers[C2]}
    billing.history[C2] = six_months(clock)
    state = make_engine(stack.env["STATE_DATABASE_URL"])
    store = NoticeStore(state)
    return NoticeScheduler(
        billing=billing,
        store=store,
        routes=NoticeRoutes(state),
        sender=NoticeSender(RasaAdminClient(stack.rasa_url, stack.jwt_secret, timeout=60)),
        preferences=NoticePreferences(state),
        settings=NoticeSettings(retry_seconds=60),
        clock=clock,
        owner="e2e-offers",
        offers=OfferFinder(billing, store),
    )


def wait_for_offer(gateway: FakeSmsGateway, since: int) -> list[str]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [t for t in gateway.messages_to(C2)[since:] if "【套餐优惠】" in t]
        if found:
            return found
        time.sleep(0.2)
    return []


async def test_offer_then_yes_then_the_confirmation_then_the_order(
    stack: Stack,
    sms_gateway: FakeSmsGateway,
    sms: SmsGatewayClient,
    state_db: Engine,
    billing_db: Engine,
) -> None:
    clock = Clock(dt.datetime.now().replace(hour=10, minute=0, second=0, microsecond=0))
    quarter = f"{clock.now.year}-Q{(clock.now.month - 1) // 3 + 1}"
    since = len(sms_gateway.messages_to(C2))
    report = await offer_scheduler(stack, clock).sweep()
    assert f"{C2}/plan_offer/{quarter}" in report.sent, report
    assert wait_for_offer(sms_gateway, since) == [OFFER]
    # "1": the usual proposal with the quoted fee and date, and its question.
    question = await say(sms, C2, "1")
    assert "将为您把畅享88元套餐更换为畅享38元套餐，新月费38.00元" in question, question
    assert "确认办理吗？" in question
    # A second "1" orders it.
    done = await say(sms, C2, "1")
    order_id = re.search(r"订单号(PC\d{10})", done)
    assert order_id, done
    with Session(billing_db) as session:
        order = session.get(PlanChangeOrderRow, order_id.group(1))
        assert order is not None and (order.msisdn, order.to_plan) == (C2, "P38")
    counts = await OfferResponses(state_db).counts()
    assert counts.accepted >= 1 and counts.switched >= 1
    assert counts.saving_delivered >= Decimal("50.00")
    # Once a quarter: the next sweep offers nothing.
    clock.now += dt.timedelta(hours=1)
    again = await offer_scheduler(stack, clock).sweep()
    assert not [k for k in again.sent if "/plan_offer/" in k]
