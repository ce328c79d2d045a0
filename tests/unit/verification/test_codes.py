"""One-time codes: right, wrong, expired, locked out, replaced, hashed, bound to the channel."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.base import customer_number
from bot.domain.ids import TELEGRAM, WEB
from bot.state.tables import PhoneVerificationRow
from bot.verification.service import Outcome, PhoneVerifier
from tests.fakes import FakeSmsSender, fake_services
from tests.unit.trackers import make_tracker
from tests.unit.verification.conftest import C1, Clock, send_code


async def test_right_code_verifies_the_conversation(
    verifier: PhoneVerifier, sms: FakeSmsSender
) -> None:
    code = await send_code(verifier, sms)
    assert len(code) == 6 and code.isdigit()
    assert await verifier.verified_number("web-1", WEB) is None
    result = await verifier.check("web-1", WEB, code)
    assert (result.outcome, result.msisdn) == (Outcome.VERIFIED, C1)
    assert await verifier.verified_number("web-1", WEB) == C1
    assert await verifier.verified_number("web-2", WEB) is None


async def test_a_code_works_once(verifier: PhoneVerifier, sms: FakeSmsSender) -> None:
    code = await send_code(verifier, sms)
    await verifier.check("web-1", WEB, code)
    assert (await verifier.check("web-1", WEB, code)).outcome == Outcome.NO_CODE


async def test_code_of_another_conversation_is_useless(
    verifier: PhoneVerifier, sms: FakeSmsSender
) -> None:
    code = await send_code(verifier, sms, "web-1")
    assert (await verifier.check("web-2", WEB, code)).outcome == Outcome.NO_CODE


async def test_wrong_codes_count_down_then_lock(
    verifier: PhoneVerifier, sms: FakeSmsSender, clock: Clock
) -> None:
    code = await send_code(verifier, sms)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert (await verifier.check("web-1", WEB, wrong)).tries_left == 2
    assert (await verifier.check("web-1", WEB, wrong)).tries_left == 1
    locked = await verifier.check("web-1", WEB, wrong)
    assert (locked.outcome, locked.wait_minutes) == (Outcome.LOCKED, 15)
    # The right code is no good any more, and a new one is refused during the cool-down.
    assert (await verifier.check("web-1", WEB, code)).outcome == Outcome.NO_CODE
    clock.advance(minutes=10)
    again = await verifier.start("web-1", WEB, C1, lambda c: c)
    assert (again.outcome, again.wait_minutes) == (Outcome.COOLING_DOWN, 5)
    assert len(sms.sent) == 1
    clock.advance(minutes=6)
    assert (await verifier.start("web-1", WEB, C1, lambda c: c)).outcome == Outcome.SENT


async def test_codes_expire_after_five_minutes(
    verifier: PhoneVerifier, sms: FakeSmsSender, clock: Clock
) -> None:
    code = await send_code(verifier, sms)
    clock.advance(minutes=5, seconds=1)
    assert (await verifier.check("web-1", WEB, code)).outcome == Outcome.EXPIRED
    assert await verifier.verified_number("web-1", WEB) is None


async def test_a_new_code_replaces_the_old_one(verifier: PhoneVerifier, sms: FakeSmsSender) -> None:
    first = await send_code(verifier, sms)
    second = await send_code(verifier, sms)
    if first != second:
        assert (await verifier.check("web-1", WEB, first)).outcome == Outcome.WRONG
    assert (await verifier.check("web-1", WEB, second)).outcome == Outcome.VERIFIED


async def test_codes_are_stored_hashed(verifier: PhoneVerifier, sms: FakeSmsSender) -> None:
    code = await send_code(verifier, sms)
    with Session(verifier._engine) as session:
        stored = session.scalars(select(PhoneVerificationRow.code_hash)).one()
    assert code not in stored and len(stored) == 64


async def test_unsent_code_behaves_the_same(verifier: PhoneVerifier, sms: FakeSmsSender) -> None:
    result = await verifier.start("web-1", WEB, "+8613999999999", lambda c: c, send=False)
    assert result.outcome == Outcome.SENT and sms.sent == []
    assert (await verifier.check("web-1", WEB, "123456")).outcome == Outcome.WRONG


class TestBoundToTheChannel:
    async def test_a_verified_number_counts_on_its_own_channel_only(self) -> None:
        sms = FakeSmsSender()
        services = fake_services(sms)
        await services.verification.start("web-1", WEB, C1, lambda code: code)
        code = sms.sent[0][1]
        assert (await services.verification.check("web-1", TELEGRAM, code)).outcome == (
            Outcome.NO_CODE
        )
        assert (await services.verification.check("web-1", WEB, code)).outcome == Outcome.VERIFIED
        assert await services.verification.verified_number("web-1", TELEGRAM) is None
        for channel, number in ((WEB, C1), (TELEGRAM, None), ("sms", None)):
            tracker = make_tracker(None, channel=channel, sender_id="web-1")
            assert await customer_number(services, tracker) == number, channel
