"""A complaint worked on the console's Tickets page, in headless Chromium against the real stack.

A demo customer files a complaint by SMS; the agent finds it on the Tickets page, sets it
in progress with an update; the customer receives the update by SMS (the fake gateway),
and their status query by SMS shows it. Closing it with a note is sent too.
"""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select
from sqlalchemy import update
from sqlalchemy.engine import Engine

from bot.billing.models import TicketRow
from bot.state.tables import TicketOriginRow
from tests.e2e.conftest import DEMO, ROOT
from tests.e2e.test_agent_console import browser, sign_in, text_of, wait_for  # noqa: F401
from tests.fakes import FakeSmsGateway
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

CUSTOMER = DEMO[1]  # 李秀英, writes Chinese
SCREENSHOT = ROOT / "results" / "console-tickets.png"


async def say(sms: SmsGatewayClient, text: str) -> str:
    reply = await sms.send(CUSTOMER, text)
    assert reply.status == 200, reply.body
    return "\n".join(reply.texts)


async def test_an_agent_works_a_complaint_and_the_customer_hears_of_it(
    browser: WebDriver,  # noqa: F811
    stack: Stack,
    sms: SmsGatewayClient,
    sms_gateway: FakeSmsGateway,
    billing_db: Engine,
    state_db: Engine,
) -> None:
    # No open ticket of the customer's from other tests: this complaint is not a repeat.
    with billing_db.begin() as connection:
        connection.execute(
            update(TicketRow).where(TicketRow.msisdn == CUSTOMER).values(status="closed")
        )

    # The customer files a network complaint by SMS.
    assert "1. 网络/信号" in await say(sms, "我要投诉")
    assert "描述" in await say(sms, "1")
    assert "地点" in await say(sms, "家里信号很差，经常打不了电话")
    assert "望京西园三区" in await say(sms, "望京西园三区")
    filed = await say(sms, "1")
    found = re.search(r"工单号(TK\d{10})", filed)
    assert found and "48小时" in filed, filed
    ticket_id = found.group(1)
    with state_db.connect() as connection:
        origin = connection.execute(
            TicketOriginRow.__table__.select().where(TicketOriginRow.ticket_id == ticket_id)
        ).one()
    assert (origin.conversation_id, origin.channel, origin.language) == (CUSTOMER, "sms", "zh")

    # The agent sees it on the Tickets page: category, masked number, due times.
    sign_in(browser, stack)
    browser.find_element(By.ID, "nav-tickets").click()
    row = f"#ticket-{ticket_id}"
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, row))
    assert "Complaint tickets" in browser.title
    listed = text_of(browser, row)
    assert "Network/signal" in listed and "138****0002" in listed and "Open" in listed
    assert "No update yet." in listed

    # In progress, with an update: saved, and the customer gets it by SMS.
    browser.find_element(By.CSS_SELECTOR, f"{row} a").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "ticket-form"))
    assert "家里信号很差" in text_of(browser, "#ticket-facts")
    assert "SMS" in text_of(browser, "#ticket-channel")
    note = "已派工程师检查附近基站，预计明天修复。"
    browser.find_element(By.ID, "ticket-text").send_keys(note)
    Select(browser.find_element(By.ID, "ticket-status-select")).select_by_value("in_progress")
    browser.find_element(By.ID, "ticket-submit").click()
    wait_for(browser, lambda d: "the customer has been told" in text_of(d, "#flash"))
    assert "In progress" in text_of(browser, "#ticket-status")
    assert note in text_of(browser, "#ticket-updates")
    told = sms_gateway.messages_to(CUSTOMER)[-1]
    assert ticket_id in told and "处理中" in told and note in told
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))

    # The customer's status query by SMS shows the latest update.
    status = await say(sms, ticket_id)
    assert "处理中" in status and note in status, status

    # The list shows the update; closing needs a note, and is sent too.
    browser.get(f"{stack.console_url}/tickets")
    wait_for(browser, lambda d: note in text_of(d, row))
    browser.get(f"{stack.console_url}/tickets/{ticket_id}")
    Select(browser.find_element(By.ID, "ticket-status-select")).select_by_value("closed")
    browser.find_element(By.ID, "ticket-submit").click()
    wait_for(browser, lambda d: "Closing a ticket needs a note." in text_of(d, "#flash"))
    browser.find_element(By.ID, "ticket-text").send_keys("基站已修复，信号恢复正常")
    Select(browser.find_element(By.ID, "ticket-status-select")).select_by_value("closed")
    browser.find_element(By.ID, "ticket-submit").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "ticket-closed"))
    assert "已关闭" in sms_gateway.messages_to(CUSTOMER)[-1]
    browser.get(f"{stack.console_url}/tickets")
    wait_for(browser, lambda d: d.find_elements(By.ID, "ticket-rows"))
    assert not browser.find_elements(By.CSS_SELECTOR, row)
