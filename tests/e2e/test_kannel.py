"""Real Kannel between the operator and the assistant: simulator → Kannel → assistant → Kannel
→ simulator, in Chinese and English, multi-part, one-time codes, agent replies, delivery reports.

Kannel comes from the Debian package (``tools/kannel.py`` installs it when missing; if it
cannot, these tests fail). The stack runs with ``SMS_GATEWAY=kannel``.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.channels.sms.outbox import SmsOutbox
from bot.config import load_settings
from bot.console.wiring import console_services
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.state.tables import SmsDeliveryReportRow, SmsOutboundRow
from bot.storage.db import make_engine
from tests.e2e.conftest import ALWAYS_ANSWERING, DEMO, ROOT, add_agent, sqlite_stack
from tests.e2e.test_handoff_desk import case_of
from tests.e2e.test_web_chat_otp import WebChat, code_in
from tests.fakes.operator_smsc import OperatorSmsc
from tools.devstack import Stack
from tools.kannel import Kannel, KannelSetup

pytestmark = pytest.mark.e2e
SECRET = "kannel-path-secret"
C1, C2, C3 = DEMO[0], DEMO[1], DEMO[2]


@pytest.fixture(scope="module")
def operator() -> Iterator[OperatorSmsc]:
    smsc = OperatorSmsc()
    smsc.start()
    yield smsc
    smsc.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, operator: OperatorSmsc) -> Iterator[Stack]:
    """The assistant with SMS_GATEWAY=kannel, and Kannel in front of it."""

    workdir = Path(tmp_path_factory.mktemp("kannel-stack"))
    databases = sqlite_stack(workdir, "e2e")
    add_agent(databases["STATE_DATABASE_URL"], "ann", "e2e-agent-password")
    running = Stack(
        root=ROOT,
        workdir=workdir,
        model=Path(os.environ.get("TEST_MODEL", ROOT / "models" / "current.tar.gz")),
        env=dict(ALWAYS_ANSWERING),
        console=False,
    )
    setup = KannelSetup(
        post_url=f"{running.rasa_url}/webhooks/sms/kannel/{SECRET}?id=%I",
        send_url=operator.send_url,
    )
    operator.mo_url = setup.mo_url
    running.env.update(
        {
            **databases,
            "SMS_GATEWAY_SECRET": "e2e-secret",
            "SMS_GATEWAY": "kannel",
            "SMS_KANNEL_SECRET": SECRET,
            "SMS_KANNEL_SENDSMS_URL": setup.sendsms_url,
            "SMS_KANNEL_USER": setup.sendsms_user,
            "SMS_KANNEL_PASSWORD": setup.sendsms_password,
            "SMS_GATEWAY_PUBLIC_URL": running.rasa_url,
            "SMS_RETRY_LIMIT": "2",
            # No quiet hours, so that re-sends are tested at any hour (they wait for the end of
            # the quiet hours otherwise: tests/loopback/test_sms_gateways.py).
            "NOTICE_QUIET_START": "00:00",
            "NOTICE_QUIET_END": "00:00",
        }
    )
    kannel = Kannel(setup, workdir / "kannel")
    try:
        kannel.start()
        running.start()
        yield running
    finally:
        running.stop()
        kannel.stop()


@pytest.fixture
def desk(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> RasaHandoffDesk:
    for key, value in stack.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("RASA_URL", stack.rasa_url)
    return console_services(load_settings(), domain_path=ROOT / "domain").desk


def ask(operator: OperatorSmsc, msisdn: str, text: str, *, ucs2: bool | None = None) -> str:
    """Send ``text`` as ``msisdn`` and wait for the next whole reply."""
    before = len(operator.messages_to(msisdn))
    assert operator.send_mo(msisdn, text, ucs2=ucs2) == "Sent."
    return operator.wait_for(msisdn, before + 1)[-1]


def outbound(state: Engine, msisdn: str) -> list[SmsOutboundRow]:
    with Session(state) as session:
        query = select(SmsOutboundRow).where(SmsOutboundRow.msisdn == msisdn)
        return list(session.scalars(query.order_by(SmsOutboundRow.created_at)))


def wait_status(state: Engine, message_id: str, status: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Session(state) as session:
            row = session.get(SmsOutboundRow, message_id)
            if row is not None and row.status == status:
                return
        time.sleep(0.2)
    raise AssertionError(f"{message_id} never became {status}")


@pytest.fixture
def state(stack: Stack) -> Engine:
    return make_engine(stack.env["STATE_DATABASE_URL"])


def test_chinese_in_ucs2_gets_the_balance_in_chinese(operator: OperatorSmsc) -> None:
    reply = ask(operator, C1, "查余额")
    assert "23.50" in reply and "元" in reply
    parts = operator.parts_to(C1)
    assert parts[-1].coding == 2 and parts[-1].charset == "UTF-16BE"


def test_english_gets_the_balance_in_english(operator: OperatorSmsc) -> None:
    reply = ask(operator, C3, "what is my balance", ucs2=False)
    assert reply == (
        "Hi Wang Fang, your account is in arrears: you owe 12.30 yuan. "
        "Please top up soon to avoid suspension."
    )
    assert operator.parts_to(C3)[-1].coding == 0


def test_a_long_reply_comes_as_one_concatenated_sms(operator: OperatorSmsc) -> None:
    reply = ask(operator, C1, "最近三个月的账单")
    parts = [p for p in operator.parts_to(C1) if p.concatenation]
    assert parts, "the reply should be longer than one SMS"
    reference, total, _ = parts[-1].concatenation or (0, 0, 0)
    assert total >= 2
    assert {
        p.concatenation[2] for p in parts if p.concatenation and p.concatenation[0] == reference
    } == set(range(1, total + 1))
    assert "元" in reply


def test_one_time_code_reaches_the_phone_through_sendsms(
    stack: Stack, operator: OperatorSmsc
) -> None:
    chat = WebChat(stack)
    assert "mobile number" in chat.say("verify my phone number")
    assert "code is on its way" in chat.say("13800000002")
    texts = operator.wait_for(C2, 1)
    assert "Demo Telecom: your code is" in texts[-1]
    assert "Verified" in chat.say(code_in(texts[-1]))


async def test_agent_reply_and_its_delivery_report(
    stack: Stack, operator: OperatorSmsc, desk: RasaHandoffDesk, state: Engine
) -> None:
    assert ask(operator, C3, "转人工")
    case_id = case_of(state, C3)
    await desk.claim(case_id, "ann")
    before = len(operator.messages_to(C3))
    await desk.reply(case_id, "ann", "您好，我是客服小安，马上为您查看宽带。")
    texts = await asyncio.to_thread(operator.wait_for, C3, before + 1)
    assert texts[-1] == "您好，我是客服小安，马上为您查看宽带。"
    sent = [row for row in outbound(state, C3) if row.kind == "push"][-1]
    assert sent.text == "您好，我是客服小安，马上为您查看宽带。" and sent.status in (
        "sent",
        "accepted",
    )
    part = operator.parts_to(C3)[-1]
    assert operator.report(part, 1) == "Sent."
    await asyncio.to_thread(wait_status, state, sent.id, "delivered")
    with Session(state) as session:
        reports = session.scalars(
            select(SmsDeliveryReportRow.status).where(SmsDeliveryReportRow.message_id == sent.id)
        ).all()
    assert "delivered" in reports


async def test_a_failed_report_sends_again_then_leaves_it_to_an_agent(
    stack: Stack, operator: OperatorSmsc, state: Engine, desk: RasaHandoffDesk
) -> None:
    assert ask(operator, C2, "转人工")
    case_id = case_of(state, C2)
    await desk.claim(case_id, "ann")
    before = len(operator.parts_to(C2))
    await desk.reply(case_id, "ann", "请稍候")
    await asyncio.to_thread(operator.wait_for, C2, len(operator.messages_to(C2)))
    sent = [row for row in outbound(state, C2) if row.kind == "push"][-1]
    first = operator.parts_to(C2)[before]
    operator.report(first, 2)  # failed: sent again (2 sends allowed)
    deadline = time.monotonic() + 15
    while len(operator.parts_to(C2)) < before + 2 and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    second = operator.parts_to(C2)[before + 1]
    assert second.text == "请稍候"
    operator.report(second, 2)  # failed again: no sends left
    await asyncio.to_thread(wait_status, state, sent.id, "failed")
    failures = await SmsOutbox(state).failures()
    found = [m for m in failures if m.id == sent.id]
    assert found and found[0].gave_up and found[0].attempts == 2


def test_kannel_refuses_a_wrong_path_secret(stack: Stack) -> None:
    import httpx

    response = httpx.post(
        f"{stack.rasa_url}/webhooks/sms/kannel/wrong",
        content=b"hi",
        headers={"X-Kannel-From": C1, "X-Kannel-To": "10086"},
        timeout=10,
    )
    assert response.status_code == 403
