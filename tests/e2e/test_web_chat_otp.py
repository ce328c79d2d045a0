"""Web chat (Rasa's REST channel) has no identity until a one-time SMS code verifies one."""

from __future__ import annotations

import datetime as dt
import re
import time

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.state.tables import PhoneVerificationRow
from tests.e2e.conftest import web_session
from tests.fakes import FakeSmsGateway
from tools.devstack import Stack

pytestmark = pytest.mark.e2e

C1 = "+8613800000001"
CODE_SMS = ("Demo Telecom: your code is", "【演示通信】您的验证码是")  # en, zh


class WebChat:
    """One browser conversation through ``/webhooks/rest/webhook``."""

    def __init__(self, stack: Stack) -> None:
        self.url = f"{stack.rasa_url}/webhooks/rest/webhook"
        self.sender = web_session(stack)

    def say(self, text: str, **extra: object) -> str:
        response = httpx.post(
            self.url, json={"sender": self.sender, "message": text, **extra}, timeout=30
        )
        assert response.status_code == 200
        return "\n".join(m.get("text", "") for m in response.json())


def code_in(text: str) -> str:
    match = re.search(r"\d{6}", text)
    assert match, text
    return match.group(0)


def sent_code(gateway: FakeSmsGateway, since: int, number: str = C1) -> str:
    """The code SMS sent to ``number`` after its ``since``-th message: it goes off the
    answer path, and a notice may reach the number meanwhile."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        codes = [t for t in gateway.messages_to(number)[since:] if t.startswith(CODE_SMS)]
        if codes:
            return code_in(codes[-1])
        time.sleep(0.05)
    raise AssertionError(f"no code SMS: {gateway.messages_to(number)[since:]}")


def test_account_data_needs_a_verified_number(stack: Stack) -> None:
    chat = WebChat(stack)
    reply = chat.say("what's my balance?")
    assert "verify my number" in reply and "yuan" not in reply
    # Metadata claiming a number is not identity.
    forged = chat.say("what's my balance?", metadata={"msisdn": C1, "channel": "sms"})
    assert "yuan" not in forged


def test_right_code_links_the_conversation(stack: Stack, sms_gateway: FakeSmsGateway) -> None:
    chat = WebChat(stack)
    assert "mobile number" in chat.say("verify my phone number")
    since = len(sms_gateway.messages_to(C1))
    assert "code is on its way" in chat.say("13800000001")
    assert "Verified" in chat.say(sent_code(sms_gateway, since))
    assert "23.50 yuan" in chat.say("how much money is on my account?")
    # Another browser conversation is not verified by it.
    assert "yuan" not in WebChat(stack).say("what's my balance?")


def test_wrong_codes_then_lock_out(stack: Stack, sms_gateway: FakeSmsGateway) -> None:
    chat = WebChat(stack)
    chat.say("验证手机号")
    since = len(sms_gateway.messages_to(C1))
    chat.say("13800000001")
    code = sent_code(sms_gateway, since)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert "还可以再试2次" in chat.say(wrong)
    assert "还可以再试1次" in chat.say(wrong)
    assert "15分钟后再试" in chat.say(wrong)
    assert "元" not in chat.say("查余额")


def test_expired_code_is_refused(
    stack: Stack, sms_gateway: FakeSmsGateway, state_db: Engine
) -> None:
    chat = WebChat(stack)
    chat.say("verify my number")
    since = len(sms_gateway.messages_to(C1))
    chat.say("+86 138 0000 0001")
    code = sent_code(sms_gateway, since)
    with Session(state_db) as session:  # five minutes pass
        session.execute(
            update(PhoneVerificationRow)
            .where(PhoneVerificationRow.conversation_id == chat.sender)
            .values(expires_at=dt.datetime.now() - dt.timedelta(seconds=1))
        )
        session.commit()
    assert "expired" in chat.say(code)
    assert "yuan" not in chat.say("what's my balance?")


def test_unknown_number_gets_the_same_answer_but_no_sms(
    stack: Stack, sms_gateway: FakeSmsGateway
) -> None:
    chat = WebChat(stack)
    chat.say("verify my number")
    before = len(sms_gateway.sent)
    assert "code is on its way" in chat.say("13999999999")
    assert len(sms_gateway.sent) == before
    assert sms_gateway.rejected == 0


def verified_chat(stack: Stack, state_db: Engine, number: str) -> WebChat:
    """A web chat that verified ``number`` a moment ago and sees its balance (the row is
    written as a right code leaves it: the code paths are tested above, and this way no
    test uses up the hour's codes of a number or of the tests' one client address)."""
    chat, now = WebChat(stack), dt.datetime.now()
    with Session(state_db) as session:
        session.add(
            PhoneVerificationRow(
                conversation_id=chat.sender,
                channel="rest",
                msisdn=number,
                code_hash="x" * 64,
                status="verified",
                attempts=1,
                created_at=now,
                verified_at=now,
                expires_at=now + dt.timedelta(minutes=30),
            )
        )
        session.commit()
    assert "yuan" in chat.say("what's my balance?")
    return chat


def test_a_verification_lapses_after_half_an_hour_unused(stack: Stack, state_db: Engine) -> None:
    chat = verified_chat(stack, state_db, "+8613800000003")
    with Session(state_db) as session:  # 30 minutes pass without the number being used
        session.execute(
            update(PhoneVerificationRow)
            .where(PhoneVerificationRow.conversation_id == chat.sender)
            .values(expires_at=dt.datetime.now() - dt.timedelta(seconds=1))
        )
        session.commit()
    reply = chat.say("what's my balance?")
    assert "yuan" not in reply and "verify my number" in reply


def test_the_customer_logs_out(stack: Stack, state_db: Engine) -> None:
    chat = verified_chat(stack, state_db, "+8613800000004")
    url = f"{stack.rasa_url}/webhooks/rest/logout"
    assert httpx.post(url, json={"sender": chat.sender}, timeout=10).json() == {"logged_out": True}
    reply = chat.say("what's my balance?")
    assert "yuan" not in reply and "verify my number" in reply
    with Session(state_db) as session:
        statuses = session.scalars(
            select(PhoneVerificationRow.status).where(
                PhoneVerificationRow.conversation_id == chat.sender
            )
        ).all()
    assert "revoked" in statuses and "verified" not in statuses
