"""Business hours in real headless Chromium against a stack whose desk is closed now.

A customer asks for a person over SMS outside the desk's hours (Beijing time): they are
told when someone will answer and offered a call-back or to leave a message; the case
still waits in the queue. They ask for a call-back, leave a message and ask how long it
will take: the console's periodic work answers with their place and when the desk
opens. An agent who signs in finds the case waiting, the call-back asked for, and the
customer's message in the transcript.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from bot.storage.db import make_engine
from tests.e2e.conftest import AGENT, AGENT_PASSWORD, DEMO, ROOT, SECRET, add_agent, sqlite_stack
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

CUSTOMER = DEMO[1]
MESSAGE = "My bill doubled this month, please check the roaming charges"


def closed_hours(now: dt.datetime) -> tuple[str, str]:
    """An hour of opening that is not now (Beijing time), and how the reply names it."""
    opening = "20:00" if now.hour < 12 else "03:00"
    closing = "21:00" if opening == "20:00" else "04:00"
    return f"{opening}-{closing}", opening


@pytest.fixture(scope="module")
def closed(
    tmp_path_factory: pytest.TempPathFactory, sms_gateway: FakeSmsGateway
) -> Iterator[tuple[Stack, str]]:
    workdir = Path(tmp_path_factory.mktemp("closed"))
    databases = sqlite_stack(workdir, "closed")
    add_agent(databases["STATE_DATABASE_URL"], AGENT, AGENT_PASSWORD)
    hours, opening = closed_hours(dt.datetime.now(ZoneInfo("Asia/Shanghai")))
    running = Stack(
        root=ROOT,
        workdir=workdir,
        model=ROOT / "models" / "current.tar.gz",
        env={
            **databases,
            "SMS_GATEWAY_SECRET": SECRET,
            "SMS_GATEWAY_OUTBOUND_URL": sms_gateway.url,
            "DESK_HOURS": hours,
            "DESK_DAYS": "mon-sun",
            "CONSOLE_TICK_SECONDS": "1",
        },
    )
    try:
        running.start()
        yield running, opening
    finally:
        running.stop()


@pytest.fixture
async def customer(closed: tuple[Stack, str]) -> AsyncIterator[SmsGatewayClient]:
    client = SmsGatewayClient(closed[0].rasa_url, SECRET)
    yield client
    await client.aclose()


def texts_to(gateway: FakeSmsGateway, msisdn: str, since: int) -> str:
    return " ".join(gateway.messages_to(msisdn)[since:])


async def test_out_of_hours_the_customer_is_told_when_and_the_case_waits(
    browser: WebDriver,  # noqa: F811
    closed: tuple[Stack, str],
    customer: SmsGatewayClient,
    sms_gateway: FakeSmsGateway,
) -> None:
    stack, opening = closed
    answer = " ".join((await customer.send(CUSTOMER, "I want to talk to a person")).texts)
    assert "off duty" in answer and opening in answer and "Beijing time" in answer
    assert "CALLBACK" in answer  # a call-back, or a message left here
    case_id = newest_case(make_engine(stack.env["STATE_DATABASE_URL"]), CUSTOMER)

    before = len(sms_gateway.messages_to(CUSTOMER))
    for text in ("CALLBACK please", MESSAGE, "how long do I have to wait?"):
        assert not (await customer.send(CUSTOMER, text)).texts  # paused: the desk's now
    deadline = time.monotonic() + 30
    while "in the queue" not in texts_to(sms_gateway, CUSTOMER, before):
        assert time.monotonic() < deadline, "the wait question was not answered"
        time.sleep(0.5)
    waited = texts_to(sms_gateway, CUSTOMER, before)
    assert "number 1 in the queue" in waited and opening in waited  # and when the desk opens

    sign_in(browser, stack)
    row = wait_for(
        browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'tr[data-case="{case_id}"]')
    )[0]
    assert "yes" in row.text.split()  # the call-back asked for, on the queue
    browser.get(f"{stack.console_url}/cases/{case_id}")
    wait_for(browser, lambda d: MESSAGE in text_of(d, "#transcript"))
