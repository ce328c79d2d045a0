"""Hostile suite, web-chat identity: a verified number lapses unused, and logging out ends it.

A browser left open, or a page someone else sits down at, keeps no customer's account:
the verification counts ``Policy.idle`` (30 minutes) after its last use, and the
customer can end it at once (``POST /webhooks/rest/logout``, ``WebLogout``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from bot.channels.webchat.logout import WebLogout
from bot.domain.ids import WEB
from bot.verification.service import Outcome, PhoneVerifier
from tests.fakes import FakeSmsSender, memory_engine

C1 = "+8613800000001"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 28, 10, 0)

    def __call__(self) -> dt.datetime:
        return self.now


async def verified(clock: Clock, engine: Engine | None = None) -> PhoneVerifier:
    """A verifier on which web-1 verified C1 at the clock's time."""
    sms = FakeSmsSender()
    verifier = PhoneVerifier(engine or memory_engine(), sms, pepper="pepper", clock=clock)
    await verifier.start("web-1", WEB, C1, lambda code: code)
    drain = getattr(getattr(verifier, "sends", None), "drain", None)
    if drain is not None:  # the code may go out after the answer
        await drain()
    result = await verifier.check("web-1", WEB, sms.sent[-1][1])
    assert result.outcome == Outcome.VERIFIED
    return verifier


async def test_a_verification_lapses_after_thirty_idle_minutes() -> None:
    clock = Clock()
    verifier = await verified(clock)
    clock.now += dt.timedelta(minutes=29)
    assert await verifier.verified_number("web-1", WEB) == C1  # used: the half hour restarts
    clock.now += dt.timedelta(minutes=29)
    assert await verifier.verified_number("web-1", WEB) == C1
    clock.now += dt.timedelta(minutes=30)
    assert await verifier.verified_number("web-1", WEB) is None
    clock.now -= dt.timedelta(minutes=30)  # lapsed is lapsed: its window did not move
    assert await verifier.verified_number("web-1", WEB) == C1


async def test_logging_out_ends_the_verification_at_once() -> None:
    engine = memory_engine()
    verifier, logout = await verified(Clock(), engine), WebLogout(engine)
    assert await logout("web-1") == 1
    assert await verifier.verified_number("web-1", WEB) is None
    assert await logout("web-1") == 0


async def test_the_channels_logout_revokes_only_its_own_conversation() -> None:
    engine = memory_engine()
    verifier = await verified(Clock(), engine)
    logout = WebLogout(engine)
    assert await logout("web-2") == 0
    assert await verifier.verified_number("web-1", WEB) == C1
    assert await logout("web-1") == 1
    assert await verifier.verified_number("web-1", WEB) is None
