"""The whole savings journey on the real stack: a customer who pays overage month after
month gets the plan offer by SMS, takes it ("1", then "1" to the quoted question), asks
for the overage she paid to be credited, an agent approves the billing-adjustment ticket
in headless Chromium, and she sees the credit in her balance.

Her billing lives in the stack's SQL stub, seeded in today's calendar (six completed
months, each with overage on Essential 38); the scheduler sweeps her alone, with its
clock at 10:00 today (outside quiet hours) and her other notice kinds turned off, so the
offer is the question her "1" answers.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import (
    AccountCreditRow,
    CustomerRow,
    CycleUsageRow,
    PlanChangeOrderRow,
    TicketDueRow,
    TicketRow,
    TicketUpdateRow,
    UsageHistoryRow,
)
from bot.billing.seed import add_customer, load_seed
from bot.billing.sql import SqlBillingService
from bot.domain.notice_kinds import NoticeKind
from bot.handoff.rasa_api import RasaAdminClient
from bot.notices.offer_finder import OfferFinder
from bot.notices.preferences import NoticePreferences
from bot.notices.routes import NoticeRoutes
from bot.notices.scheduler import NoticeScheduler
from bot.notices.sender import NoticeSender
from bot.notices.settings import NoticeSettings
from bot.notices.store import NoticeStore
from bot.storage.db import make_engine
from tests.e2e.conftest import SEED
from tests.e2e.test_agent_console import browser, sign_in, text_of, wait_for  # noqa: F401
from tests.fakes import Clock, FakeSmsGateway
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

CUSTOMER = "+8613800000093"  # like Wang Fang (Essential 38, over her data), not in arrears


class HerAlone(SqlBillingService):
    """The stack's billing database, the sweep limited to this test's customer."""

    async def customer_numbers(self) -> list[str]:
        return [n for n in await super().customer_numbers() if n == CUSTOMER]


@pytest.fixture
def overpaying(billing_db: Engine) -> Iterator[str]:
    """Wang Fang's usage and bills on a number of its own, 50 yuan in credit."""
    customer: dict[str, Any] = copy.deepcopy(load_seed(SEED)["customers"][2])
    customer.update(msisdn=CUSTOMER, balance=50, current={**customer["current"], "data_used_gb": 5})
    with Session(billing_db) as session:
        add_customer(session, customer)
        session.commit()
    yield CUSTOMER
    tickets = select(TicketRow.ticket_id).where(TicketRow.msisdn == CUSTOMER)
    with billing_db.begin() as connection:
        for work in (TicketUpdateRow, TicketDueRow):
            connection.execute(delete(work).where(work.ticket_id.in_(tickets)))
        for row in (
            AccountCreditRow,
            TicketRow,
            PlanChangeOrderRow,
            UsageHistoryRow,
            CycleUsageRow,
            CustomerRow,
        ):
            connection.execute(delete(row).where(row.msisdn == CUSTOMER))


async def say(sms: SmsGatewayClient, text: str) -> str:
    reply = await sms.send(CUSTOMER, text)
    assert reply.status == 200, reply.body
    return "\n".join(reply.texts)


def received(gateway: FakeSmsGateway, since: int, marker: str) -> list[str]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = [t for t in gateway.messages_to(CUSTOMER)[since:] if marker in t]
        if found:
            return found
        time.sleep(0.2)
    return []


async def offer_sweep(stack: Stack, billing_db: Engine) -> list[str]:
    state = make_engine(stack.env["STATE_DATABASE_URL"])
    preferences = NoticePreferences(state)
    for kind in (NoticeKind.BALANCE, NoticeKind.DATA, NoticeKind.BILL):
        await preferences.set_enabled(CUSTOMER, kind, False)  # the offer alone
    billing, store = HerAlone(billing_db, timeout=30), NoticeStore(state)
    scheduler = NoticeScheduler(
        billing=billing,
        store=store,
        routes=NoticeRoutes(state),
        sender=NoticeSender(RasaAdminClient(stack.rasa_url, stack.jwt_secret, timeout=60)),
        preferences=preferences,
        settings=NoticeSettings(retry_seconds=60),
        clock=Clock(dt.datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)),
        owner="e2e-savings",
        offers=OfferFinder(billing, store),
    )
    return (await scheduler.sweep()).sent


async def test_an_overpaying_customer_is_offered_switches_and_is_credited(
    browser: WebDriver,  # noqa: F811
    stack: Stack,
    sms: SmsGatewayClient,
    sms_gateway: FakeSmsGateway,
    billing_db: Engine,
    overpaying: str,
) -> None:
    since = len(sms_gateway.messages_to(CUSTOMER))
    sent = await offer_sweep(stack, billing_db)
    assert [key for key in sent if "/plan_offer/" in key], sent
    [offer] = received(sms_gateway, since, "【套餐优惠】")
    saving = re.search(r"改用畅享58元套餐（月费58.00元）每月可省约(\d+\.\d{2})元", offer)
    assert saving and "近6个月" in offer, offer  # 92.25 a month on average against 58.00
    assert Decimal(saving.group(1)) == Decimal("34.25")

    question = await say(sms, "1")
    assert "将为您把畅享38元套餐更换为畅享58元套餐，新月费58.00元" in question, question
    done = await say(sms, "1")
    assert re.search(r"订单号PC\d{10}", done), done

    filed = await say(sms, "我已经换了套餐，之前几个月多扣的流量超出费用能退给我吗？")
    ticket = re.search(r"工单号(TK\d{10})", filed)
    asked = re.search(r"申请退还(\d+\.\d{2})元", filed)
    assert ticket and asked, filed
    amount = Decimal(asked.group(1))
    assert amount > 0

    sign_in(browser, stack)
    browser.get(f"{stack.console_url}/tickets/{ticket.group(1)}")
    wait_for(browser, lambda d: d.find_elements(By.ID, "credit-panel"))
    browser.find_element(By.ID, "credit-approve-submit").click()
    wait_for(browser, lambda d: "the customer has been told" in text_of(d, "#flash"))
    [told] = received(sms_gateway, since, "已退还")
    assert f"{amount}元已退还" in told, told

    balance = await say(sms, "查余额")
    assert f"{Decimal(50) + amount:.2f}" in balance and f"退还的{amount}元" in balance, balance
