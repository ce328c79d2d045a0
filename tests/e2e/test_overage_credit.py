"""Overage credited against a new plan, against the real stack: a customer who paid
overage has ordered a bigger plan, asks by SMS for the overage to be credited, an agent
approves the billing-adjustment ticket in headless Chromium, the customer is told by SMS
and the balance shows the credit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine

from bot.billing.models import AccountCreditRow, PlanChangeOrderRow, TicketRow
from bot.billing.sql import SqlBillingService
from tests.e2e.conftest import DEMO
from tests.e2e.test_agent_console import browser, sign_in, text_of, wait_for  # noqa: F401
from tests.fakes import FakeSmsGateway
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

CUSTOMER = DEMO[2]  # 王芳, P38, over her data every month, writes Chinese


@pytest.fixture(autouse=True)
def her_account_as_it_was(billing_db: Engine, untouched_billing: None) -> Iterator[None]:
    """Later tests read her balance (arrears): the credit and the plan change go, and
    ``untouched_billing`` puts the balance back."""
    yield
    with billing_db.begin() as connection:
        for row in (AccountCreditRow, PlanChangeOrderRow):
            connection.execute(delete(row).where(row.msisdn == CUSTOMER))


async def say(sms: SmsGatewayClient, text: str) -> str:
    reply = await sms.send(CUSTOMER, text)
    assert reply.status == 200, reply.body
    return "\n".join(reply.texts)


async def test_an_overage_credit_is_asked_approved_and_seen_in_the_balance(
    browser: WebDriver,  # noqa: F811
    stack: Stack,
    sms: SmsGatewayClient,
    sms_gateway: FakeSmsGateway,
    billing_db: Engine,
) -> None:
    with billing_db.begin() as connection:  # no open ticket of hers from other tests
        connection.execute(
            update(TicketRow).where(TicketRow.msisdn == CUSTOMER).values(status="closed")
        )
    billing = SqlBillingService(billing_db)
    next_cycle = (dt.date.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    await billing.place_plan_change(CUSTOMER, "P58", next_cycle)  # as the plan change does
    before = (await billing.get_customer(CUSTOMER)).balance

    filed = await say(sms, "换了新套餐，之前几个月超出的流量费可以退给我吗")
    found = re.search(r"工单号(TK\d{10})", filed)
    asked = re.search(r"申请退还(\d+\.\d{2})元", filed)
    assert found and asked and "客服将在5天内审核" in filed, filed
    ticket_id, amount = found.group(1), Decimal(asked.group(1))

    sign_in(browser, stack)
    browser.get(f"{stack.console_url}/tickets/{ticket_id}")
    wait_for(browser, lambda d: d.find_elements(By.ID, "credit-panel"))
    assert f"{amount} yuan" in text_of(browser, "#credit-amount")
    browser.find_element(By.ID, "credit-approve-submit").click()
    wait_for(browser, lambda d: "the customer has been told" in text_of(d, "#flash"))
    assert not browser.find_elements(By.ID, "credit-panel")
    told = sms_gateway.messages_to(CUSTOMER)[-1]
    assert ticket_id in told and f"{amount}元已退还" in told, told

    assert (await billing.get_customer(CUSTOMER)).balance == before + amount
    balance = await say(sms, "查余额")
    assert f"退还的{amount}元" in balance and ticket_id in balance, balance
