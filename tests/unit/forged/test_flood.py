"""No flood stops the service: one visitor cannot fill the agents' queue, slow the
console's polls, or use up the hour's one-time codes; a forged address changes nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.events import ConversationPaused
from sqlalchemy import event
from sqlalchemy.engine import Engine

from actions.handoff import ActionHandoff
from bot.domain.identity import client_metadata
from bot.domain.ids import WEB, issue_web_session
from bot.handoff.desk import QUEUE_PAGE_SIZE
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.handoff.queue import HandoffLimitReached, HandoffReason
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.stats import StatsStore
from bot.verification.service import Outcome, PhoneVerifier, Policy
from bot.wiring import Services
from tests.fakes import NOW, FakeBillingService, FakeSmsSender, memory_engine
from tests.unit.forged.conftest import run
from tests.unit.trackers import IDENTITY_SECRET, STRANGER, make_tracker, responses

DOMAIN = Path(__file__).resolve().parents[3] / "domain"
C1 = "+8613800000001"


def web_message(sender: str, metadata: dict[str, Any]) -> Any:
    return make_tracker(
        None, "a person please", "human_handoff", WEB, metadata=metadata, sender_id=sender
    )


class TestOpenCasesPerAddress:
    async def ask(
        self, services: Services, domain: dict[str, Any], metadata: dict[str, Any]
    ) -> tuple[list[str | None], list[dict[str, Any]]]:
        tracker = web_message(issue_web_session(IDENTITY_SECRET), metadata)
        dispatcher, events = await run(ActionHandoff, services, domain, tracker)
        return responses(dispatcher), events

    async def test_an_address_gets_three_open_cases_then_a_polite_no(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, _ = world
        signed = client_metadata(IDENTITY_SECRET, WEB, "198.51.100.7")
        answers = [await self.ask(services, domain, signed) for _ in range(5)]
        assert answers[:3] == [(["utter_handoff"], [ConversationPaused()])] * 3
        assert answers[3:] == [(["utter_handoff_limit"], [])] * 2  # not paused, not silent
        assert len(await services.handoff.open_cases()) == 3
        other = client_metadata(IDENTITY_SECRET, WEB, "203.0.113.9")
        assert await self.ask(services, domain, other) == (
            ["utter_handoff"],
            [ConversationPaused()],
        )

    async def test_a_resolved_case_frees_its_place(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, _ = world
        signed = client_metadata(IDENTITY_SECRET, WEB, "198.51.100.7")
        for _ in range(3):
            await self.ask(services, domain, signed)
        first = (await services.handoff.open_cases())[0]
        await services.handoff.claim(first.id, "ann")
        await services.handoff.resolve(first.id, "ann", "done")
        assert (await self.ask(services, domain, signed))[0] == ["utter_handoff"]

    @pytest.mark.parametrize(
        "forged",
        [
            {"client_address": "198.51.100.7"},  # no signature
            {**client_metadata("another-secret", WEB, "198.51.100.7")},
            {**client_metadata(IDENTITY_SECRET, "telegram", "198.51.100.7")},  # other channel
            {**client_metadata(IDENTITY_SECRET, WEB, "x"), "client_address": "198.51.100.7"},
        ],
    )
    async def test_a_forged_address_is_not_one(
        self, world: tuple[Services, Engine], domain: dict[str, Any], forged: dict[str, Any]
    ) -> None:
        services, _ = world
        signed = client_metadata(IDENTITY_SECRET, WEB, "198.51.100.7")
        for _ in range(3):
            await self.ask(services, domain, signed)
        # a forged address neither counts as the full one nor is recorded for a case
        assert (await self.ask(services, domain, forged))[0] == ["utter_handoff"]
        assert [c.client for c in await services.handoff.open_cases()][-1] is None


async def test_the_sql_queue_refuses_a_fourth_case_of_one_address() -> None:
    queue = SqlHandoffQueue(memory_engine(), lambda: NOW, open_per_client=3)
    asked = HandoffReason.CUSTOMER_REQUEST
    for n in range(3):
        await queue.create(f"web-{n}", None, WEB, "en", asked, client="198.51.100.7")
    with pytest.raises(HandoffLimitReached):
        await queue.create("web-9", None, WEB, "en", asked, client="198.51.100.7")
    again = await queue.create("web-0", None, WEB, "en", asked, client="198.51.100.7")
    assert again.conversation_id == "web-0"  # the conversation's own open case, as before


class CountingRasa:
    """Rasa's HTTP API as the desk uses it, counting the transcript reads."""

    def __init__(self) -> None:
        self.calls = 0

    async def events(self, conversation_id: str) -> list[dict[str, Any]]:
        self.calls += 1
        return [{"event": "user", "text": "hello", "timestamp": NOW.timestamp()}]

    async def append(
        self, conversation_id: str, events: list[dict[str, Any]], channel: str | None = None
    ) -> None:
        return None


async def queue_poll_cost(cases: int) -> tuple[int, int, int]:
    """Statements and Rasa calls of one queue poll with ``cases`` open cases (a tenth claimed)."""
    engine = memory_engine()
    queue = SqlHandoffQueue(engine, lambda: NOW, open_per_client=10_000)
    for n in range(cases):
        case = await queue.create(
            issue_web_session(IDENTITY_SECRET), None, WEB, "en", HandoffReason.CUSTOMER_REQUEST
        )
        if n % 10 == 0:
            await queue.claim(case.id, "ann")
    rasa = CountingRasa()
    desk = RasaHandoffDesk(
        queue,
        rasa,
        FakeBillingService(),
        StatsStore(engine),
        DOMAIN,
        clock=lambda: NOW + dt.timedelta(minutes=5),
    )
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    page = await desk.queue()
    assert page.waiting_total + page.claimed_total == cases
    return len(statements), rasa.calls, len(page.summaries)


async def test_a_queue_poll_costs_the_same_for_10_and_300_cases() -> None:
    small, large = await queue_poll_cost(10), await queue_poll_cost(300)
    assert small[0] == large[0] <= 3  # statements: counts, a page of waiting, claimed
    assert large[1] == QUEUE_PAGE_SIZE and small[1] == 9  # a transcript per waiting case shown
    assert large[2] == 2 * QUEUE_PAGE_SIZE


class SlowSender(FakeSmsSender):
    """A gateway that takes ``delay`` seconds to accept a message."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    async def send(self, to: str, text: str, *, secret: str | None = None) -> None:
        await asyncio.sleep(self.delay)
        await super().send(to, text, secret=secret)


async def test_a_code_is_answered_as_fast_for_a_customer_as_for_a_stranger() -> None:
    sender = SlowSender(0.5)
    verifier = PhoneVerifier(memory_engine(), sender, "pepper", clock=lambda: NOW)
    timings = {}
    for who, number, send in (("customer", C1, True), ("stranger", STRANGER, False)):
        started = time.perf_counter()
        result = await verifier.start(f"web-{who}", WEB, number, lambda c: c, send=send)
        timings[who] = time.perf_counter() - started
        assert result.outcome == Outcome.SENT
    assert abs(timings["customer"] - timings["stranger"]) < 0.25  # the send takes 0.5 s
    assert sender.sent == []  # still on its way
    await verifier.sends.drain()
    assert [to for to, _ in sender.sent] == [C1]


async def test_one_requester_cannot_use_up_the_hours_codes() -> None:
    policy = Policy(codes_overall=10, codes_per_client=3, codes_per_conversation=2)
    verifier = PhoneVerifier(memory_engine(), FakeSmsSender(), "pepper", policy, lambda: NOW)
    numbers = [f"+861380000{n:04d}" for n in range(30)]
    flood = [
        await verifier.start(f"web-{n % 6}", WEB, m, lambda c: c, client="198.51.100.7")
        for n, m in enumerate(numbers)
    ]
    assert sum(r.outcome == Outcome.SENT for r in flood) == 3  # the address's own limit
    one_conversation = [
        await verifier.start("web-x", WEB, m, lambda c: c, client=f"203.0.113.{n}")
        for n, m in enumerate(numbers[:5])
    ]
    assert [r.outcome for r in one_conversation].count(Outcome.SENT) == 2
    others = [
        await verifier.start(f"web-o{n}", WEB, m, lambda c: c, client=f"192.0.2.{n}")
        for n, m in enumerate(numbers[10:15])
    ]
    assert all(r.outcome == Outcome.SENT for r in others)  # the overall budget is intact
