"""Phone verification: a verifier on an in-memory database with a settable clock."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.ids import WEB
from bot.verification import limits
from bot.verification.service import Outcome, PhoneVerifier
from tests.fakes import FakeSmsSender, memory_engine

C1 = "+8613800000001"


def conversation_scope(conversation: str) -> str:
    return limits.conversation_scope(WEB, conversation)


SENT, LIMITED = Outcome.SENT, Outcome.RATE_LIMITED


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
    result = await verifier.start(conversation, WEB, C1, lambda code: f"code {code}")
    assert result.outcome == Outcome.SENT
    to, text = sms.sent[-1]
    assert to == C1
    return text.removeprefix("code ")
