"""One-time codes: right, wrong, expired, locked out, stored hashed."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.verification import ValidatePhoneVerificationForm
from bot.numbers import code_from_text, phone_from_text
from bot.verification.models import PhoneVerificationRow
from bot.verification.service import Outcome, PhoneVerifier
from tests.conftest import DOMAIN_FILE as DOMAIN
from tests.fakes import FakeSmsSender, fake_services, memory_engine
from tests.unit.trackers import make_tracker

C1 = "+8613800000001"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 28, 10, 0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sms() -> FakeSmsSender:
    return FakeSmsSender()


@pytest.fixture
def verifier(sms: FakeSmsSender, clock: Clock) -> PhoneVerifier:
    return PhoneVerifier(memory_engine(), sms, pepper="pepper", clock=clock)


async def send_code(
    verifier: PhoneVerifier, sms: FakeSmsSender, conversation: str = "web-1"
) -> str:
    result = await verifier.start(conversation, C1, lambda code: f"code {code}")
    assert result.outcome == Outcome.SENT
    to, text = sms.sent[-1]
    assert to == C1
    return text.removeprefix("code ")


async def test_right_code_verifies_the_conversation(
    verifier: PhoneVerifier, sms: FakeSmsSender
) -> None:
    code = await send_code(verifier, sms)
    assert len(code) == 6 and code.isdigit()
    assert await verifier.verified_number("web-1") is None
    result = await verifier.check("web-1", code)
    assert (result.outcome, result.msisdn) == (Outcome.VERIFIED, C1)
    assert await verifier.verified_number("web-1") == C1
    assert await verifier.verified_number("web-2") is None


async def test_a_code_works_once(verifier: PhoneVerifier, sms: FakeSmsSender) -> None:
    code = await send_code(verifier, sms)
    await verifier.check("web-1", code)
    assert (await verifier.check("web-1", code)).outcome == Outcome.NO_CODE


async def test_code_of_another_conversation_is_useless(
    verifier: PhoneVerifier, sms: FakeSmsSender
) -> None:
    code = await send_code(verifier, sms, "web-1")
    assert (await verifier.check("web-2", code)).outcome == Outcome.NO_CODE


async def test_wrong_codes_count_down_then_lock(
    verifier: PhoneVerifier, sms: FakeSmsSender, clock: Clock
) -> None:
    code = await send_code(verifier, sms)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert (await verifier.check("web-1", wrong)).tries_left == 2
    assert (await verifier.check("web-1", wrong)).tries_left == 1
    locked = await verifier.check("web-1", wrong)
    assert (locked.outcome, locked.wait_minutes) == (Outcome.LOCKED, 15)
    # The right code is no good any more, and a new one is refused during the cool-down.
    assert (await verifier.check("web-1", code)).outcome == Outcome.NO_CODE
    clock.advance(minutes=10)
    again = await verifier.start("web-1", C1, lambda c: c)
    assert (again.outcome, again.wait_minutes) == (Outcome.COOLING_DOWN, 5)
    assert len(sms.sent) == 1
    clock.advance(minutes=6)
    assert (await verifier.start("web-1", C1, lambda c: c)).outcome == Outcome.SENT


async def test_codes_expire_after_five_minutes(
    verifier: PhoneVerifier, sms: FakeSmsSender, clock: Clock
) -> None:
    code = await send_code(verifier, sms)
    clock.advance(minutes=5, seconds=1)
    assert (await verifier.check("web-1", code)).outcome == Outcome.EXPIRED
    assert await verifier.verified_number("web-1") is None


async def test_a_new_code_replaces_the_old_one(verifier: PhoneVerifier, sms: FakeSmsSender) -> None:
    first = await send_code(verifier, sms)
    second = await send_code(verifier, sms)
    if first != second:
        assert (await verifier.check("web-1", first)).outcome == Outcome.WRONG
    assert (await verifier.check("web-1", second)).outcome == Outcome.VERIFIED


async def test_codes_are_stored_hashed(verifier: PhoneVerifier, sms: FakeSmsSender) -> None:
    code = await send_code(verifier, sms)
    with Session(verifier._engine) as session:
        stored = session.scalars(select(PhoneVerificationRow.code_hash)).one()
    assert code not in stored and len(stored) == 64


async def test_unsent_code_behaves_the_same(verifier: PhoneVerifier, sms: FakeSmsSender) -> None:
    result = await verifier.start("web-1", "+8613999999999", lambda c: c, send=False)
    assert result.outcome == Outcome.SENT and sms.sent == []
    assert (await verifier.check("web-1", "123456")).outcome == Outcome.WRONG


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("13800000001", "+8613800000001"), ("+8613800000001", "+8613800000001"),
        ("my number is 138 0000 0001", "+8613800000001"), ("手机号138-0000-0001", "+8613800000001"),
        ("８６１３８０００００００１", "+8613800000001"), ("12345", None), ("23800000001", None),
    ],
)  # fmt: skip
def test_phone_numbers_in_text(text: str, number: str | None) -> None:
    assert phone_from_text(text) == number


@pytest.mark.parametrize(
    ("text", "code"), [("123456", "123456"), ("验证码是 654321", "654321"), ("1234567", None)]
)
def test_codes_in_text(text: str, code: str | None) -> None:
    assert code_from_text(text) == code


class TestVerificationForm:
    """The form's validation: unreadable answers are asked again, never counted as tries."""

    async def test_text_without_a_code_is_not_a_wrong_try(self) -> None:
        sms = FakeSmsSender()
        services = fake_services(sms)
        form = ValidatePhoneVerificationForm(services=services)
        await services.verification.start("conversation-1", C1, lambda code: code)
        domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
        tracker = make_tracker(
            None, text="what is my balance", intent="check_balance", channel="rest",
            slots={"requested_slot": "verification_code", "verification_phone": C1},
        )  # fmt: skip
        dispatcher = CollectingDispatcher()
        events = await form.run(dispatcher, tracker, domain)
        assert [m["response"] for m in dispatcher.messages] == ["utter_verification_code_invalid"]
        assert {"event": "slot", "timestamp": None, "name": "verification_code", "value": None} in (
            events
        )
        right = await services.verification.check("conversation-1", sms.sent[0][1])
        assert right.outcome == Outcome.VERIFIED  # still three tries left before this one
