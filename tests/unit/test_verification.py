"""One-time codes: right, wrong, expired, locked out, stored hashed."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from actions.base import customer_number
from actions.verification import ValidatePhoneVerificationForm
from bot.channels.ids import TELEGRAM, WEB
from bot.domain.numbers import code_from_text, phone_from_text
from bot.state.tables import CodeRequestCounterRow, PhoneVerificationRow
from bot.verification import limits
from bot.verification.service import Outcome, PhoneVerifier, Policy
from tests.conftest import DOMAIN_FILE as DOMAIN
from tests.fakes import FakeSmsSender, fake_services, memory_engine
from tests.unit.trackers import STRANGER, make_tracker, responses

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
        await services.verification.start("conversation-1", WEB, C1, lambda code: code)
        domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
        tracker = make_tracker(
            None, text="hang on, it hasn't come yet", intent="deny", channel="rest",
            slots={"requested_slot": "verification_code", "verification_phone": C1},
        )  # fmt: skip
        dispatcher = CollectingDispatcher()
        events = await form.run(dispatcher, tracker, domain)
        assert [m["response"] for m in dispatcher.messages] == ["utter_verification_code_invalid"]
        assert {"event": "slot", "timestamp": None, "name": "verification_code", "value": None} in (
            events
        )
        right = await services.verification.check("conversation-1", WEB, sms.sent[0][1])
        assert right.outcome == Outcome.VERIFIED  # still three tries left before this one

    async def test_too_many_codes_get_the_same_reply_for_customers_and_strangers(self) -> None:
        domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
        said: dict[str, list[tuple[list[str | None], dict[str, object]]]] = {}
        for number in (C1, STRANGER):
            sms = FakeSmsSender()
            form = ValidatePhoneVerificationForm(services=fake_services(sms))
            said[number] = []
            for n in range(4):  # four conversations ask for a code for the same number
                tracker = make_tracker(None, text=number, channel="rest", sender_id=f"web-{n}")
                dispatcher = CollectingDispatcher()
                slots = await form.validate_verification_phone(number, dispatcher, tracker, domain)
                slots.pop("verification_phone")
                said[number].append((responses(dispatcher), slots))
            assert len(sms.sent) == (3 if number == C1 else 0)
        assert said[C1] == said[STRANGER]
        assert said[C1][2:] == [
            (["utter_verification_code_sent"], {}),
            (["utter_verification_too_many_codes"], {"requested_slot": None}),
        ]


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


class TestLimits:
    async def test_every_guess_is_counted_and_only_the_first_ones_compared(
        self, verifier: PhoneVerifier, sms: FakeSmsSender
    ) -> None:
        code = await send_code(verifier, sms)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        outcomes = [(await verifier.check("web-1", WEB, wrong)).outcome for _ in range(5)]
        assert outcomes == [Outcome.WRONG, Outcome.WRONG, Outcome.LOCKED] + [Outcome.NO_CODE] * 2
        assert (await verifier.check("web-1", WEB, code)).outcome == Outcome.NO_CODE
        with Session(verifier._engine) as session:
            row = session.scalars(select(PhoneVerificationRow)).one()
        assert (row.status, row.attempts) == ("failed", 6)

    async def test_three_codes_per_number_an_hour_whatever_the_conversation(
        self, verifier: PhoneVerifier, sms: FakeSmsSender, clock: Clock
    ) -> None:
        for n in range(3):
            await send_code(verifier, sms, f"web-{n}")
        clock.advance(minutes=59)
        refused = await verifier.start("web-9", WEB, C1, lambda c: c)
        assert (refused.outcome, refused.wait_minutes) == (LIMITED, 1)
        assert len(sms.sent) == 3
        clock.advance(minutes=1)  # a new hour
        await send_code(verifier, sms, "web-9")
        with Session(verifier._engine) as session:  # past hours are forgotten
            counters = session.execute(select(CodeRequestCounterRow)).scalars().all()
        assert {(c.scope, c.window_start.hour, c.count) for c in counters} == {
            (f"msisdn:{C1}", 11, 1), ("global", 11, 1), (conversation_scope("web-9"), 11, 1),
        }  # fmt: skip

    async def test_strangers_are_counted_and_answered_like_customers(
        self, verifier: PhoneVerifier, sms: FakeSmsSender
    ) -> None:
        answers = {}
        for number, send in ((C1, True), (STRANGER, False)):
            results = [
                await verifier.start(f"web-{n}", WEB, number, lambda c: c, send=send)
                for n in range(5)
            ]
            answers[send] = [(r.outcome, r.wait_minutes) for r in results]
        assert answers[True] == answers[False] == [(SENT, 0)] * 3 + [(LIMITED, 60)] * 2
        assert [to for to, _ in sms.sent] == [C1] * 3

    async def test_a_ceiling_over_all_numbers_and_refusals_leave_no_count(
        self, sms: FakeSmsSender, clock: Clock
    ) -> None:
        policy = Policy(codes_overall=3)
        verifier = PhoneVerifier(memory_engine(), sms, "pepper", policy=policy, clock=clock)
        numbers = [f"+86138000000{n:02d}" for n in range(1, 6)]
        outcomes = [
            (await verifier.start(f"web-{n}", WEB, number, lambda c: c)).outcome
            for n, number in enumerate(numbers)
        ]
        assert outcomes == [SENT] * 3 + [LIMITED] * 2 and len(sms.sent) == 3
        with Session(verifier._engine) as session:
            scopes = session.scalars(select(CodeRequestCounterRow.scope)).all()
        conversations = [conversation_scope(f"web-{n}") for n in range(3)]
        numbers_counted = [f"msisdn:{n}" for n in numbers[:3]]
        assert sorted(scopes) == sorted(["global", *numbers_counted, *conversations])

    async def test_a_counter_created_meanwhile_is_counted_on(
        self, verifier: PhoneVerifier, sms: FakeSmsSender
    ) -> None:
        """The unique-key race: another request inserts the hour's counter after our UPDATE
        found none; our INSERT is refused, and the retried UPDATE counts on that row."""
        raced: list[str] = []

        def race(_conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            if statement.startswith("SAVEPOINT") and not raced:
                raced.append(statement)  # the conversation's counter, the first one counted
                cursor.execute(
                    "INSERT INTO code_request_counters VALUES (?, '2026-11-28 10:00:00.000000', 4)",
                    (conversation_scope("web-1"),),
                )

        event.listen(verifier._engine, "before_cursor_execute", race)
        await send_code(verifier, sms, "web-1")  # counted on the row made meanwhile: 5 of 5
        assert raced
        refused = await verifier.start("web-1", WEB, C1, lambda c: c)
        assert refused.outcome == LIMITED and len(sms.sent) == 1
