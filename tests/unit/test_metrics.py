"""The Prometheus figures move where the facts happen: a customer's turn, a notice, a case.

Counters live in prometheus_client's default registry for the whole test session, so
each test compares a figure before and after what it does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace
from typing import Any

from prometheus_client import REGISTRY
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.guarded import converse
from bot.domain.notice_kinds import NoticeKind
from bot.handoff.queue import HandoffReason
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.metrics import bearer_matches, exposition, note_intent
from tests.fakes import NOW, Clock, memory_engine
from tests.fakes.notice_rasa import FakeNoticeRasa, build_scheduler

CUSTOMER = "+8613800000005"


def value(name: str, **labels: str) -> float:
    """The figure now (0 before it was first counted)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def user_message(channel: str, text: str = "balance") -> UserMessage:
    return UserMessage(text, CollectingOutputChannel(), CUSTOMER, input_channel=channel)


async def test_a_turn_is_counted_by_channel_and_intent_and_timed() -> None:
    async def rasa(message: UserMessage) -> None:  # as Rasa: parse, save, reply
        note_intent("check_balance")  # what the project's tracker store tells on save
        await message.output_channel.send_text_message(message.sender_id, "42 yuan")

    before = value("assistant_messages_total", channel="unit_a", intent="check_balance")
    timed = value("assistant_reply_seconds_count", channel="unit_a")
    replies = await converse(SimpleNamespace(), rasa, user_message("unit_a"))
    assert replies[0]["text"] == "42 yuan"
    after = value("assistant_messages_total", channel="unit_a", intent="check_balance")
    assert after == before + 1
    assert value("assistant_reply_seconds_count", channel="unit_a") == timed + 1


async def test_a_fallback_is_counted_and_an_intent_heard_outside_a_turn_is_not() -> None:
    note_intent("greet")  # no turn open: nothing to tell, nothing kept

    async def rasa(message: UserMessage) -> None:
        note_intent("nlu_fallback")
        await message.output_channel.send_text_message(message.sender_id, "sorry?")

    fallbacks = value("assistant_fallbacks_total")
    await converse(SimpleNamespace(), rasa, user_message("unit_b", "???"))
    assert value("assistant_fallbacks_total") == fallbacks + 1
    assert value("assistant_messages_total", channel="unit_b", intent="greet") == 0


class _Agent:
    """Enough of Rasa's agent for the apology path: a domain and an empty tracker store."""

    def __init__(self) -> None:
        self.domain = SimpleNamespace(responses={"utter_service_unavailable": [{"text": "x"}]})
        self.tracker_store = SimpleNamespace(retrieve=self._none)
        self.lock_store = SimpleNamespace(lock=self._lock)

    async def _none(self, _sender: str) -> Any:
        return None

    def _lock(self, _sender: str) -> Any:
        class _Held:
            async def __aenter__(self) -> None:
                return None

            async def __aexit__(self, *exc: object) -> None:
                return None

        return _Held()


async def test_a_reply_too_slow_is_counted_as_a_timeout() -> None:
    async def slow(_message: UserMessage) -> None:
        await asyncio.sleep(1)

    request = SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=_Agent())))
    before = value("assistant_reply_failures_total", channel="unit_c", cause="timeout")
    await converse(request, slow, user_message("unit_c"), timeout=0.01)
    after = value("assistant_reply_failures_total", channel="unit_c", cause="timeout")
    assert after == before + 1
    assert value("assistant_messages_total", channel="unit_c", intent="unknown") >= 1


async def test_the_scheduler_counts_each_notice_by_kind_and_result() -> None:
    rasa, clock = FakeNoticeRasa(), Clock()
    scheduler = build_scheduler(memory_engine(), rasa, clock, retry_seconds=60)

    def total(result: str) -> float:
        kinds = [kind.value for kind in NoticeKind]
        return sum(value("assistant_notices_total", kind=k, result=result) for k in kinds)

    sent, failed = total("sent"), total("failed")
    rasa.down = True
    down = await scheduler.sweep()
    assert total("failed") - failed == len(down.failed) > 0
    rasa.down = False
    clock.now = NOW + dt.timedelta(seconds=61)
    up = await scheduler.sweep()
    assert total("sent") - sent == len(up.sent) > 0


async def test_a_new_handoff_case_is_counted_by_reason_once() -> None:
    queue = SqlHandoffQueue(memory_engine())
    reason = HandoffReason.CUSTOMER_REQUEST
    before = value("assistant_handoffs_total", reason=reason.value)
    for _ in range(2):  # the second finds the open case
        await queue.create("conv-1", CUSTOMER, "sms", "en", reason)
    assert value("assistant_handoffs_total", reason=reason.value) == before + 1


def test_the_exposition_is_prometheus_text_and_the_token_check_is_exact() -> None:
    body, content_type = exposition()
    assert content_type.startswith("text/plain") and b"# TYPE assistant_messages" in body
    assert bearer_matches("Bearer secret-token", "secret-token")
    assert bearer_matches("bearer  secret-token ", "secret-token")
    for header in (None, "", "secret-token", "Basic secret-token", "Bearer secret-toke"):
        assert not bearer_matches(header, "secret-token")
    assert not bearer_matches("Bearer ", "")  # no token: nobody gets in
