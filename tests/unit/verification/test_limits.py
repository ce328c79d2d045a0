"""How many codes and guesses: every guess counted, codes per number, conversation and overall."""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from bot.domain.ids import WEB
from bot.state.tables import CodeRequestCounterRow, PhoneVerificationRow
from bot.verification.service import Outcome, PhoneVerifier, Policy
from tests.fakes import FakeSmsSender, memory_engine
from tests.unit.trackers import STRANGER
from tests.unit.verification.conftest import C1, LIMITED, SENT, Clock, conversation_scope, send_code


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
            (f"msisdn:{C1}", 11, 1),
            ("global", 11, 1),
            (conversation_scope("web-9"), 11, 1),
        }

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
