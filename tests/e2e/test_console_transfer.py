"""Transfers and presence in real headless Chromium against the real stack.

A customer asks for a person over SMS; one agent claims the case and transfers it to a
second agent with a note; the second agent sees the case as theirs, with the note and the
transfer in the transcript, and the customer receives nothing of it. An agent sets
themselves away and back from the navigation. (The e2e stack answers around the clock:
business hours and "nobody available" are covered by tests/unit/test_desk_hours*.py and
tests/loopback/test_console_transfer.py.)
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.console.access.accounts import AgentAccounts
from bot.state.tables import AgentRow
from tests.e2e.conftest import AGENT, AGENT_PASSWORD, DEMO
from tests.e2e.test_agent_console import (
    browser,  # noqa: F401  (the fixture)
    newest_case,
    sign_in,
    text_of,
    wait_for,
)
from tests.fakes import FakeSmsGateway
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

CUSTOMER = DEMO[2]
SECOND = "bea"
NOTE = "Customer wants a refund for last month; I checked the bill already."


def second_agent(state_db: Engine) -> None:
    accounts = AgentAccounts(state_db)
    if SECOND not in {agent.username for agent in accounts.list()}:
        accounts.add(SECOND, AGENT_PASSWORD)


def presence_of(state_db: Engine, username: str) -> str:
    with Session(state_db) as session:
        query = select(AgentRow.presence).where(AgentRow.username == username)
        return str(session.scalars(query).one())


async def test_a_case_goes_to_another_agent_with_a_note(
    browser: WebDriver,  # noqa: F811
    stack: Stack,
    sms: SmsGatewayClient,
    sms_gateway: FakeSmsGateway,
    state_db: Engine,
) -> None:
    second_agent(state_db)
    assert (await sms.send(CUSTOMER, "转人工")).texts
    case_id = newest_case(state_db, CUSTOMER)
    told = list(sms_gateway.messages_to(CUSTOMER))

    sign_in(browser, stack, AGENT)
    browser.get(f"{stack.console_url}/cases/{case_id}")
    browser.find_element(By.ID, "claim").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "transfer-form"))
    Select(browser.find_element(By.ID, "transfer-to")).select_by_value(SECOND)
    browser.find_element(By.ID, "transfer-note").send_keys(NOTE)
    browser.find_element(By.ID, "transfer-submit").click()
    wait_for(browser, lambda d: f"Transferred to {SECOND}." in text_of(d, "#flash"))
    assert not browser.find_elements(By.ID, "reply-form")  # no longer the first agent's

    sign_in(browser, stack, SECOND)
    browser.get(f"{stack.console_url}/cases/{case_id}")
    wait_for(browser, lambda d: d.find_elements(By.ID, "reply-form"))
    received = text_of(browser, "#transfer-received")
    assert f"{AGENT} transferred this case to you" in received and NOTE in received
    assert f"{AGENT} transferred the case to {SECOND}." in text_of(browser, "#transcript")
    assert sms_gateway.messages_to(CUSTOMER) == told  # the customer hears nothing of it


async def test_an_agent_sets_themselves_away_and_back(
    browser: WebDriver,  # noqa: F811
    stack: Stack,
    state_db: Engine,
) -> None:
    sign_in(browser, stack, AGENT)
    assert browser.find_element(By.ID, "presence").get_attribute("data-presence") == "available"
    browser.find_element(By.ID, "presence-toggle").click()
    wait_for(browser, lambda d: "You are away" in text_of(d, "#flash"))
    assert browser.find_element(By.ID, "presence").get_attribute("data-presence") == "away"
    assert presence_of(state_db, AGENT) == "away"
    browser.find_element(By.ID, "presence-toggle").click()
    wait_for(browser, lambda d: "You are available." in text_of(d, "#flash"))
    assert presence_of(state_db, AGENT) == "available"
