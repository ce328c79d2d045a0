"""Twilio-style gateway in front of the real stack (``SMS_GATEWAY=twilio``): signed webhooks
answered in TwiML, agent replies through the REST endpoint, status callbacks, and the Rasa
server's own retry task sending again what the gateway refused.

The gateway is ``tests/fakes/twilio_api.py``: it signs every request with the ``twilio``
package's ``RequestValidator`` and serves the ``Messages.json`` REST shape.
"""

from __future__ import annotations

import asyncio
import os
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.channels.sms.gateway_routes import SWEEP_SECONDS
from bot.channels.sms.outbox import RETRY_DELAY
from bot.config import load_settings
from bot.console.wiring import console_services
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.state.tables import SmsDeliveryReportRow, SmsOutboundRow
from bot.storage.db import make_engine
from tests.e2e.conftest import ALWAYS_ANSWERING, DEMO, ROOT, add_agent, sqlite_stack
from tests.e2e.test_handoff_desk import case_of
from tests.fakes.twilio_api import FakeTwilio, RestMessage
from tools.devstack import Stack

pytestmark = pytest.mark.e2e
ACCOUNT, AUTH_TOKEN = "AC00000000000000000000000000e2e001", "e2e-twilio-auth-token"
C1, C2, C3, C4 = DEMO[0], DEMO[1], DEMO[2], DEMO[3]


@pytest.fixture(scope="module")
def twilio() -> Iterator[FakeTwilio]:
    gateway = FakeTwilio(ACCOUNT, AUTH_TOKEN)
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, twilio: FakeTwilio) -> Iterator[Stack]:
    """The assistant with SMS_GATEWAY=twilio, its REST endpoint the fake's."""
    workdir = Path(tmp_path_factory.mktemp("twilio-stack"))
    databases = sqlite_stack(workdir, "e2e")
    add_agent(databases["STATE_DATABASE_URL"], "ann", "e2e-agent-password")
    running = Stack(
        root=ROOT,
        workdir=workdir,
        model=Path(os.environ.get("TEST_MODEL", ROOT / "models" / "current.tar.gz")),
        env=dict(ALWAYS_ANSWERING),
        console=False,
    )
    running.env.update(
        {
            **databases,
            "SMS_GATEWAY_SECRET": "e2e-secret",
            "SMS_GATEWAY": "twilio",
            "SMS_TWILIO_ACCOUNT_SID": ACCOUNT,
            "SMS_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "SMS_TWILIO_API_URL": twilio.api_url,
            "SMS_GATEWAY_PUBLIC_URL": running.rasa_url,
            "SMS_RETRY_LIMIT": "3",
            # No quiet hours, so that re-sends are tested at any hour (they wait for the end of
            # the quiet hours otherwise: tests/loopback/test_sms_gateways.py).
            "NOTICE_QUIET_START": "00:00",
            "NOTICE_QUIET_END": "00:00",
        }
    )
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture
def desk(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> RasaHandoffDesk:
    """The desk the console acts through (Rasa's HTTP API), as the console builds it."""
    for key, value in stack.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("RASA_URL", stack.rasa_url)
    return console_services(load_settings(), domain_path=ROOT / "domain").desk


@pytest.fixture
def state(stack: Stack) -> Engine:
    return make_engine(stack.env["STATE_DATABASE_URL"])


def webhook(stack: Stack) -> str:
    return f"{stack.rasa_url}/webhooks/sms/twilio"


def ask(stack: Stack, twilio: FakeTwilio, msisdn: str, text: str) -> list[tuple[str, str]]:
    """The TwiML ``<Message>`` texts answering one signed inbound SMS, with their ``action``
    (the status callback URL)."""
    response = twilio.deliver(webhook(stack), msisdn, text)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "Response" and all(child.tag == "Message" for child in root)
    return [(child.text or "", child.get("action", "")) for child in root]


def as_sent(msisdn: str, text: str, callback: str) -> RestMessage:
    """A message the gateway sent on a TwiML answer (its callbacks name our id)."""
    return RestMessage("SM" + "a" * 32, msisdn, "10086", text, callback)


def outbound(state: Engine, msisdn: str) -> list[SmsOutboundRow]:
    with Session(state) as session:
        query = select(SmsOutboundRow).where(SmsOutboundRow.msisdn == msisdn)
        return list(session.scalars(query.order_by(SmsOutboundRow.created_at)))


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"{what} within {timeout:.0f}s")


async def hand_over(
    stack: Stack, twilio: FakeTwilio, desk: RasaHandoffDesk, state: Engine, msisdn: str
) -> int:
    """The customer asks for a person; ann claims the case."""
    assert await asyncio.to_thread(ask, stack, twilio, msisdn, "转人工")
    case_id = case_of(state, msisdn)
    await desk.claim(case_id, "ann")
    return case_id


def test_chinese_balance_question_gets_twiml_with_the_figure(
    stack: Stack, twilio: FakeTwilio, state: Engine
) -> None:
    replies = ask(stack, twilio, C1, "查余额")
    assert any("23.50元" in text for text, _ in replies), replies
    # Each TwiML message is recorded, its status callback the <Message>'s action.
    rows = {row.id: row for row in outbound(state, C1) if row.kind == "reply"}
    status_url = f"{stack.rasa_url}/webhooks/sms/twilio/status?id="
    for text, action in replies:
        assert action.startswith(status_url)
        row = rows[action.removeprefix(status_url)]
        assert (row.text, row.status, row.gateway) == (text, "sent", "twilio")
    text, action = replies[0]
    assert twilio.callback(as_sent(C1, text, action), "delivered").status_code == 204
    with Session(state) as session:
        row = session.get(SmsOutboundRow, action.removeprefix(status_url))
        assert row is not None and row.status == "delivered"


def test_english_balance_question_gets_twiml_with_the_figure(
    stack: Stack, twilio: FakeTwilio, state: Engine
) -> None:
    replies = ask(stack, twilio, C4, "what's my balance?")
    assert any("310.75 yuan" in text for text, _ in replies), replies
    # A TwiML reply reported undelivered is sent again through the REST endpoint.
    text, action = next((t, a) for t, a in replies if "310.75 yuan" in t)
    failed = twilio.callback(as_sent(C4, text, action), "undelivered", error_code="30003")
    assert failed.status_code == 204
    assert [m.body for m in twilio.messages_to(C4)] == [text]
    with Session(state) as session:
        row = session.get(SmsOutboundRow, action.rpartition("id=")[2])
        assert row is not None
        assert (row.kind, row.status, row.attempts) == ("reply", "sent", 2)


def test_a_request_not_signed_with_the_auth_token_is_refused(stack: Stack) -> None:
    forged = FakeTwilio(ACCOUNT, "not-the-auth-token")
    response = forged.deliver(webhook(stack), C1, "查余额")
    assert response.status_code == 403


async def test_agent_reply_goes_through_rest_and_a_callback_marks_it_delivered(
    stack: Stack, twilio: FakeTwilio, desk: RasaHandoffDesk, state: Engine
) -> None:
    case_id = await hand_over(stack, twilio, desk, state, C3)
    text = "您好，我是客服小安，马上为您查看宽带。"
    await desk.reply(case_id, "ann", text)
    await asyncio.to_thread(
        wait_for, lambda: any(m.body == text for m in twilio.messages_to(C3)), 15, "no REST send"
    )
    message: RestMessage = twilio.messages_to(C3)[-1]
    assert (message.body, message.sender) == (text, "10086")
    assert message.status_callback.startswith(f"{stack.rasa_url}/webhooks/sms/twilio/status?id=")
    [row] = [r for r in outbound(state, C3) if r.kind == "push"]
    assert (row.text, row.status, row.foreign_id, row.gateway) == (
        text,
        "sent",
        message.sid,
        "twilio",
    )
    assert twilio.callback(message, "sent").status_code == 204
    assert twilio.callback(message, "delivered").status_code == 204
    with Session(state) as session:
        assert session.get(SmsOutboundRow, row.id).status == "delivered"  # type: ignore[union-attr]
        reports = session.scalars(
            select(SmsDeliveryReportRow.status)
            .where(SmsDeliveryReportRow.message_id == row.id)
            .order_by(SmsDeliveryReportRow.id)
        ).all()
    assert reports == ["accepted", "delivered"]


def test_a_forged_status_callback_changes_nothing(
    stack: Stack, twilio: FakeTwilio, state: Engine
) -> None:
    forged = FakeTwilio(ACCOUNT, "not-the-auth-token")
    fake = RestMessage(
        "SM" + "f" * 32,
        C1,
        "10086",
        "x",
        f"{stack.rasa_url}/webhooks/sms/twilio/status?id={'0' * 32}",
    )
    assert forged.callback(fake, "delivered").status_code == 403


async def test_a_refused_message_is_sent_again_by_the_rasa_servers_retry_task(
    stack: Stack, twilio: FakeTwilio, desk: RasaHandoffDesk, state: Engine
) -> None:
    """Only the Rasa server runs the retry task (the console is not started here, and this
    process runs none): a message the gateway refused arrives within its interval."""
    case_id = await hand_over(stack, twilio, desk, state, C2)
    text = "请稍候，我正在为您查询。"
    twilio.refuse(1)
    await desk.reply(case_id, "ann", text)
    assert [form["Body"] for form in twilio.refused] == [text]
    [row] = [r for r in outbound(state, C2) if r.kind == "push"]
    assert row.status == "failed" and row.attempts == 1 and row.retry_at is not None
    interval = (RETRY_DELAY.total_seconds() + SWEEP_SECONDS) + 15
    await asyncio.to_thread(
        wait_for,
        lambda: any(m.body == text for m in twilio.messages_to(C2)),
        interval,
        "the retry task did not send the refused message again",
    )
    with Session(state) as session:
        again = session.get(SmsOutboundRow, row.id)
        assert again is not None
        assert (again.status, again.attempts, again.retry_at) == ("sent", 2, None)
        assert again.foreign_id == twilio.messages_to(C2)[-1].sid
