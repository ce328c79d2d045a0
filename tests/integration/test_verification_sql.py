"""One-time codes under concurrency, on a real SQLite file with pooled connections:
parallel guesses are all counted and only the allowed few compared; parallel code
requests cannot slip under the limits."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.domain.ids import WEB
from bot.state.tables import CodeRequestCounterRow, PhoneVerificationRow
from bot.verification.service import Outcome, PhoneVerifier, Policy
from tests.fakes import FakeSmsSender
from tests.integration.conftest import Clock

C1 = "+8613800000001"
EVALUATED = {Outcome.WRONG, Outcome.LOCKED, Outcome.VERIFIED}


@pytest.fixture
async def many_threads() -> AsyncIterator[None]:
    """Enough worker threads for every request of a test to run at once."""
    executor = ThreadPoolExecutor(max_workers=64)
    asyncio.get_running_loop().set_default_executor(executor)
    yield
    executor.shutdown(wait=True)


@pytest.fixture
def sms() -> FakeSmsSender:
    return FakeSmsSender()


@pytest.fixture
def verifier(state_engine: Engine, sms: FakeSmsSender, clock: Clock) -> PhoneVerifier:
    return PhoneVerifier(state_engine, sms, pepper="pepper", clock=clock)


async def issue(verifier: PhoneVerifier, sms: FakeSmsSender) -> str:
    assert (await verifier.start("web-1", WEB, C1, lambda code: code)).outcome == Outcome.SENT
    return sms.sent[-1][1]


def the_code(engine: Engine) -> PhoneVerificationRow:
    with Session(engine) as session:
        return session.scalars(select(PhoneVerificationRow)).one()


@pytest.mark.usefixtures("many_threads")
class TestParallelGuesses:
    async def test_fifty_guesses_are_all_counted_and_three_compared(
        self, verifier: PhoneVerifier, sms: FakeSmsSender, state_engine: Engine
    ) -> None:
        code = await issue(verifier, sms)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        results = await asyncio.gather(*(verifier.check("web-1", WEB, wrong) for _ in range(50)))
        outcomes = collections.Counter(r.outcome for r in results)
        assert outcomes == {Outcome.WRONG: 2, Outcome.LOCKED: 1, Outcome.NO_CODE: 47}
        row = the_code(state_engine)
        assert (row.attempts, row.status) == (50, "failed")
        # The right code, as the 51st guess, comes too late.
        assert (await verifier.check("web-1", WEB, code)).outcome == Outcome.NO_CODE
        assert await verifier.verified_number("web-1", WEB) is None

    async def test_the_right_code_sent_in_parallel_verifies_once(
        self, verifier: PhoneVerifier, sms: FakeSmsSender, state_engine: Engine
    ) -> None:
        code = await issue(verifier, sms)
        results = await asyncio.gather(*(verifier.check("web-1", WEB, code) for _ in range(30)))
        outcomes = collections.Counter(r.outcome for r in results)
        assert outcomes == {Outcome.VERIFIED: 1, Outcome.NO_CODE: 29}
        assert the_code(state_engine).status == "verified"
        assert await verifier.verified_number("web-1", WEB) == C1


@pytest.mark.usefixtures("many_threads")
class TestParallelRequests:
    async def test_twenty_conversations_get_three_codes_for_one_number(
        self, verifier: PhoneVerifier, sms: FakeSmsSender, state_engine: Engine
    ) -> None:
        results = await asyncio.gather(
            *(verifier.start(f"web-{n}", WEB, C1, lambda c: c) for n in range(20))
        )
        outcomes = collections.Counter(r.outcome for r in results)
        assert outcomes == {Outcome.SENT: 3, Outcome.RATE_LIMITED: 17}
        assert len(sms.sent) == 3
        with Session(state_engine) as session:
            counters = session.scalars(select(CodeRequestCounterRow)).all()
            counts = {counter.scope: counter.count for counter in counters}
        # each sending conversation counted once; the refused ones left no count
        assert counts.pop(f"msisdn:{C1}") == counts.pop("global") == 3
        assert sorted(counts.values()) == [1, 1, 1]

    async def test_strangers_and_customers_share_the_limit(
        self, verifier: PhoneVerifier, sms: FakeSmsSender
    ) -> None:
        results = await asyncio.gather(
            *(verifier.start(f"web-{n}", WEB, C1, lambda c: c, send=n % 2 == 0) for n in range(20))
        )
        assert sum(r.outcome == Outcome.SENT for r in results) == 3
        assert len(sms.sent) <= 3

    async def test_the_ceiling_holds_over_many_numbers(
        self, state_engine: Engine, sms: FakeSmsSender, clock: Clock
    ) -> None:
        policy = Policy(codes_overall=10)
        verifier = PhoneVerifier(state_engine, sms, "pepper", policy=policy, clock=clock)
        numbers = [f"+861380000{n:04d}" for n in range(40)]
        results = await asyncio.gather(
            *(verifier.start(f"web-{n}", WEB, m, lambda c: c) for n, m in enumerate(numbers))
        )
        assert sum(r.outcome == Outcome.SENT for r in results) == 10
        assert len(sms.sent) == 10
