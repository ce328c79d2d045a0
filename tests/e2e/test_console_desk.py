"""The desk in real headless Chromium (Selenium, as ``test_agent_console``) against the real
stack: an agent picks a canned reply filled from the case, edits and sends it (the customer
gets the edited text over SMS), writes a note the customer never receives, is refused the
supervisors' pages; a supervisor sees per-agent figures and manages a canned reply."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select
from sqlalchemy.engine import Engine

from bot.console.access.accounts import AgentAccounts
from tests.e2e.conftest import AGENT, ROOT
from tests.e2e.test_agent_console import (
    CUSTOMER,
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
SUPERVISOR, SUPERVISOR_PASSWORD = "sue", "e2e-supervisor-password"


def add_supervisor(stack: Stack, state_db: Engine) -> None:
    """The operator's way: ``telecom-assistant agent add sue --role supervisor``."""
    if AgentAccounts(state_db).get(SUPERVISOR) is not None:
        return
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "agent",
            "add",
            SUPERVISOR,
            "--role",
            "supervisor",
            "--password-stdin",
        ],
        input=f"{SUPERVISOR_PASSWORD}\n",
        text=True,
        check=True,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "STATE_DATABASE_URL": str(state_db.url)},
    )


async def test_canned_reply_note_and_the_supervisors_pages(
    browser: WebDriver,  # noqa: F811
    stack: Stack,
    sms: SmsGatewayClient,
    sms_gateway: FakeSmsGateway,
    state_db: Engine,
) -> None:
    add_supervisor(stack, state_db)
    sign_in(browser, stack)
    assert (await sms.send(CUSTOMER, "转人工")).status == 200
    case_id = newest_case(state_db, CUSTOMER)
    browser.get(f"{stack.console_url}/cases/{case_id}")
    browser.find_element(By.ID, "claim").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "canned-reply"))

    # A canned reply in the customer's language, filled from the profile, edited, sent.
    Select(browser.find_element(By.ID, "canned-reply")).select_by_visible_text("余额")
    box = browser.find_element(By.ID, "reply-text")
    wait_for(browser, lambda d: "156.00" in (box.get_attribute("value") or ""))
    assert box.get_attribute("value") == "李秀英您好，您当前的余额为156.00元。"
    box.send_keys("如需充值请回复1。")
    browser.find_element(By.ID, "send-reply").click()
    wait_for(browser, lambda d: "Message sent." in text_of(d, "#flash"))
    edited = "李秀英您好，您当前的余额为156.00元。如需充值请回复1。"
    assert sms_gateway.messages_to(CUSTOMER)[-1] == edited

    # An internal note: shown with its author, never sent to the customer.
    sent_before = len(sms_gateway.messages_to(CUSTOMER))
    browser.find_element(By.ID, "note-text").send_keys("Customer asked about top-up offers")
    browser.find_element(By.ID, "add-note").click()
    wait_for(browser, lambda d: "Note saved." in text_of(d, "#flash"))
    assert "Customer asked about top-up offers" in text_of(browser, "#note-list")
    assert AGENT in text_of(browser, "#note-list")
    assert len(sms_gateway.messages_to(CUSTOMER)) == sent_before

    # The supervisors' pages are refused to an agent.
    for path in ("/replies", "/agents"):
        browser.get(f"{stack.console_url}{path}")
        assert "Only a supervisor may open this page." in text_of(browser, "#main")
    assert not browser.find_elements(By.ID, "nav-replies")

    # A supervisor: per-agent figures, and a canned reply added and removed.
    sign_in(browser, stack, SUPERVISOR, SUPERVISOR_PASSWORD)
    browser.get(f"{stack.console_url}/dashboard")
    row = f'#agent-figures tr[data-agent="{AGENT}"]'
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, row))
    assert int(text_of(browser, f"{row} .handled")) >= 1
    assert text_of(browser, f"{row} .claim") != "—"
    browser.find_element(By.ID, "nav-replies").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "add-reply"))
    Select(browser.find_element(By.ID, "new-language")).select_by_value("en")
    browser.find_element(By.ID, "new-title").send_keys("E2E outage")
    browser.find_element(By.ID, "new-body").send_keys("Sorry {name}, we are on it.")
    browser.find_element(By.ID, "add-reply-submit").click()
    wait_for(browser, lambda d: "Canned reply added." in text_of(d, "#flash"))
    added = [
        item
        for item in browser.find_elements(By.CSS_SELECTOR, "#reply-list li.canned-reply")
        if "E2E outage"
        in (item.find_element(By.CSS_SELECTOR, "input[name=title]").get_attribute("value") or "")
    ]
    assert len(added) == 1
    added[0].find_element(By.CSS_SELECTOR, "button.danger").click()
    wait_for(browser, lambda d: "Deleted." in text_of(d, "#flash"))
    assert "E2E outage" not in browser.page_source
