"""The console's live push in real headless Chromium against the real stack: a customer
asks for a person over SMS and the open queue page shows the case within a second, without
reloading, with a "(1) " badge on the title while the agent looks elsewhere; coming back
to the page clears it."""

from __future__ import annotations

import json
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from sqlalchemy.engine import Engine

from tests.e2e.conftest import DEMO
from tests.e2e.test_agent_console import (
    browser,  # noqa: F401  (the fixture)
    mark_page,
    newest_case,
    not_reloaded,
    sign_in,
    wait_for,
)
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

CUSTOMER = DEMO[3]
LIVE_WITHIN = 1.0  # seconds


def within(driver: WebDriver, seconds: float, check: str) -> float:
    """Seconds until the script ``check`` is true; fails after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if driver.execute_script(f"return Boolean({check});"):
            return time.monotonic() - started
        time.sleep(0.02)
    raise AssertionError(f"not within {seconds} s: {check}")


async def test_a_new_case_and_message_show_live_with_a_title_badge(
    browser: WebDriver,  # noqa: F811
    stack: Stack,
    sms: SmsGatewayClient,
    state_db: Engine,
) -> None:
    sign_in(browser, stack)
    browser.get(f"{stack.console_url}/")
    wait_for(browser, lambda d: d.find_elements(By.ID, "waiting-rows"))
    wait_for(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, "#offline:not([hidden])"))
    title = browser.title
    mark_page(browser)
    browser.execute_script("window.dispatchEvent(new Event('blur'));")  # the agent looks away

    handed_over = await sms.send(CUSTOMER, "转人工")
    assert handed_over.status == 200 and handed_over.texts
    case_id = newest_case(state_db, CUSTOMER)
    row = f'#waiting-rows tr[data-case="{case_id}"]'
    within(browser, LIVE_WITHIN, f"document.querySelector('{row}')")
    within(browser, LIVE_WITHIN, "document.title.indexOf('(1) ') === 0")
    assert browser.title == f"(1) {title}" and not_reloaded(browser)

    # Back on the page: the badge goes.
    browser.execute_script("window.dispatchEvent(new Event('focus'));")
    within(browser, LIVE_WITHIN, f"document.title === {json.dumps(title)}")
    assert not_reloaded(browser)
