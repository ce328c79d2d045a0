"""The agent console in real headless Chromium (Selenium) against the real stack.

A demo customer asks for a person over SMS; the agent signs in, watches the
case arrive without reloading, reads the transcript and the profile, claims
the case, replies (the fake SMS gateway receives it), sees the customer's
answer arrive live, resolves it; the bot is back, and the rating shows on the
dashboard. Then conversation review: messages the bot did not understand are
listed, the agent labels one and dismisses another, and the label is exported as
training data.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.review.export import export_labelled
from bot.review.store import ReviewStore
from bot.state.tables import HandoffRow, ReviewItemRow
from tests.e2e.conftest import AGENT, AGENT_PASSWORD, DEMO, ROOT
from tests.fakes import FakeSmsGateway
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

CUSTOMER = DEMO[1]  # 李秀英
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SCREENSHOT = ROOT / "results" / "console-case.png"
REVIEW_SCREENSHOT = ROOT / "results" / "console-review.png"
WAIT = 30  # seconds; the pages poll every 3
T = TypeVar("T")


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    """Headless Chromium with a fresh profile, in English."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = "chromium and chromium-driver are not installed (scripts/install, as root)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the browser test, never skip it
        pytest.skip(message)
    profile = tempfile.mkdtemp(prefix="console-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1280,1100",
        "--lang=en-US",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver: WebDriver, condition: Callable[[WebDriver], T]) -> T:
    """Poll ``condition``; a page being replaced meanwhile (stale or missing element) is retried."""
    ignored = (NoSuchElementException, StaleElementReferenceException)

    def polled(d: WebDriver) -> T | bool:
        try:
            return condition(d)
        except WebDriverException as error:
            # Chromium's name for a stale element when the page is replaced mid-read.
            if "does not belong to the document" in str(error.msg):
                return False
            raise

    return WebDriverWait(driver, WAIT, 0.3, ignored_exceptions=ignored).until(polled)  # type: ignore[return-value]


def text_of(driver: WebDriver, css: str) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, css).text)


def mark_page(driver: WebDriver) -> None:
    """Tag the page's window; the tag survives polling but not a reload."""
    driver.execute_script("window.__notReloaded = true;")


def not_reloaded(driver: WebDriver) -> bool:
    return driver.execute_script("return window.__notReloaded === true;") is True


def newest_case(state_db: Engine, msisdn: str) -> int:
    with Session(state_db) as session:
        query = select(HandoffRow.id).where(HandoffRow.msisdn == msisdn)
        case_id = session.scalars(query.order_by(HandoffRow.id.desc())).first()
    assert case_id is not None, "no handoff case was recorded"
    return int(case_id)


def satisfied_on_dashboard(driver: WebDriver, stack: Stack) -> int:
    driver.get(f"{stack.console_url}/dashboard")
    return int(text_of(driver, "#rating-satisfied"))


def sign_in(
    driver: WebDriver, stack: Stack, username: str = AGENT, password: str = AGENT_PASSWORD
) -> None:
    """Sign in afresh as ``username`` (whoever was signed in before is signed out)."""
    driver.delete_all_cookies()
    driver.get(f"{stack.console_url}/")
    wait_for(driver, lambda d: "/login" in d.current_url)
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()
    wait_for(driver, lambda d: d.find_elements(By.ID, "waiting-rows"))
    assert f"Signed in as {username}" in text_of(driver, "#signed-in")


async def test_an_agent_handles_a_case_from_queue_to_rating(
    browser: WebDriver,
    stack: Stack,
    sms: SmsGatewayClient,
    sms_gateway: FakeSmsGateway,
    state_db: Engine,
) -> None:
    sign_in(browser, stack)
    satisfied_before = satisfied_on_dashboard(browser, stack)

    # The queue is open when the customer asks for a person; the case appears by itself.
    browser.get(f"{stack.console_url}/")
    mark_page(browser)
    handed_over = await sms.send(CUSTOMER, "转人工")
    assert handed_over.status == 200 and handed_over.texts
    case_id = newest_case(state_db, CUSTOMER)
    row = f'#waiting-rows tr[data-case="{case_id}"]'
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, row))
    assert not_reloaded(browser)
    assert "李秀英" in text_of(browser, row) and "Customer asked for a person" in text_of(
        browser, row
    )

    # The case: why, who, and what was said.
    browser.find_element(By.CSS_SELECTOR, f"{row} a").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "transcript"))
    transcript = text_of(browser, "#transcript")
    assert "转人工" in transcript and "Bot" in transcript
    assert text_of(browser, "#profile-name") == "李秀英"
    assert "156.00" in text_of(browser, "#profile-balance")
    assert text_of(browser, "#profile-plan")
    assert "Customer asked for a person" in text_of(browser, "#case-reason")

    # Claim, then reply: the customer gets the SMS.
    browser.find_element(By.ID, "claim").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "reply-form"))
    assert "You have claimed this case." in text_of(browser, "#flash")
    answer = "您好，我是客服小安，马上为您查看。"
    browser.find_element(By.ID, "reply-text").send_keys(answer)
    browser.find_element(By.ID, "send-reply").click()
    wait_for(browser, lambda d: "Message sent." in text_of(d, "#flash"))
    assert sms_gateway.messages_to(CUSTOMER)[-1] == answer
    assert answer in text_of(browser, "#transcript")

    # The customer answers over SMS (the bot stays silent); it shows up live.
    mark_page(browser)
    assert (await sms.send(CUSTOMER, "好的，我的宽带一直断线")).texts == []
    wait_for(browser, lambda d: "我的宽带一直断线" in text_of(d, "#transcript"))
    assert not_reloaded(browser)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))

    # Resolve with a note: back to the queue, the bot asks for a rating.
    browser.find_element(By.ID, "resolve-note").send_keys("broadband line reset remotely")
    browser.find_element(By.ID, "resolve").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "waiting-rows"))
    assert "Case resolved" in text_of(browser, "#flash")
    assert not browser.find_elements(By.CSS_SELECTOR, f'tr[data-case="{case_id}"]')
    assert "回到智能客服" in sms_gateway.messages_to(CUSTOMER)[-1]

    # The bot answers the customer again, and the rating is stored.
    thanks = await sms.send(CUSTOMER, "1")
    assert any("感谢您的评价" in text for text in thanks.texts), thanks.texts
    assert "156.00" in " ".join((await sms.send(CUSTOMER, "查余额")).texts)
    assert satisfied_on_dashboard(browser, stack) == satisfied_before + 1

    # The dashboard in Chinese, through the language switch.
    browser.find_element(By.ID, "lang-switch").click()
    wait_for(browser, lambda d: "满意" in text_of(d, "#ratings"))
    assert "数据看板" in browser.title


def review_row(driver: WebDriver, text: str) -> WebElement | None:
    """The Review page's row of the open message ``text``, if listed."""
    for row in driver.find_elements(By.CSS_SELECTOR, "#review-rows tr.review-item"):
        if row.find_element(By.CSS_SELECTOR, ".review-text").text == text:
            return row
    return None


def review_status(state_db: Engine, text: str) -> tuple[str, str | None, str | None]:
    with Session(state_db) as session:
        row = session.scalars(
            select(ReviewItemRow).where(ReviewItemRow.text == text).order_by(ReviewItemRow.id)
        ).first()
    assert row is not None, f"{text!r} was never listed for review"
    return str(row.status), row.label, row.agent


async def test_an_agent_labels_and_dismisses_what_the_bot_did_not_understand(
    browser: WebDriver,
    stack: Stack,
    sms: SmsGatewayClient,
    state_db: Engine,
    tmp_path: Path,
) -> None:
    # Two customers write something the bot cannot place (each one fallback, no handoff).
    unclear, noise = "zqx blorf vemtrak pliss", "wubba frrt zzkq"
    for customer, text in ((DEMO[2], unclear), (DEMO[3], noise)):
        assert (await sms.send(customer, text)).status == 200

    sign_in(browser, stack)
    browser.find_element(By.ID, "nav-review").click()
    wait_for(browser, lambda d: review_row(d, unclear) and review_row(d, noise))
    assert "Conversation review" in browser.title
    row = review_row(browser, unclear)
    assert row is not None and "SMS" in row.text
    assert browser.save_screenshot(str(REVIEW_SCREENSHOT))

    # Label the first with the right intent, dismiss the second.
    Select(row.find_element(By.CSS_SELECTOR, "select.review-select")).select_by_value(
        "check_balance"
    )
    row.find_element(By.CSS_SELECTOR, "button.review-label").click()
    wait_for(browser, lambda d: "Labelled as check_balance." in text_of(d, "#flash"))
    assert review_row(browser, unclear) is None
    dismiss = review_row(browser, noise)
    assert dismiss is not None
    dismiss.find_element(By.CSS_SELECTOR, "button.review-dismiss").click()
    wait_for(browser, lambda d: "Dismissed." in text_of(d, "#flash"))
    assert review_row(browser, noise) is None
    assert review_status(state_db, unclear) == ("labelled", "check_balance", AGENT)
    assert review_status(state_db, noise) == ("dismissed", None, AGENT)

    # The export writes the label as Rasa NLU data (the CLI's work, into a scratch folder).
    paths, _ = export_labelled(ReviewStore(state_db), tmp_path, dt.date.today())
    assert paths
    exported = "".join(path.read_text(encoding="utf-8") for path in paths)
    assert "- intent: check_balance" in exported and f"- {unclear}" in exported
    assert noise not in exported
