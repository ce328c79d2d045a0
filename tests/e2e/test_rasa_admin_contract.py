"""``FakeRasaAdmin`` held to Rasa's own HTTP API: the same scenarios run against the fake
and against ``RasaAdminClient`` talking to the e2e stack's Rasa server, so the fake the
desk's unit tests use cannot drift from what Rasa does.

What the desk relies on: a conversation nobody wrote in has nothing said; events appended
come back after what was there, in order; with an output channel, the bot's events go out
on it (to the fake SMS gateway for the real server, to ``delivered`` for the fake).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import pytest

from bot.handoff.rasa_api import RasaAdminClient
from tests.fakes import FakeSmsGateway
from tests.fakes.rasa_api import FakeRasaAdmin
from tools.devstack import Stack

pytestmark = pytest.mark.e2e


class Admin(Protocol):
    async def events(self, conversation_id: str) -> list[dict[str, Any]]: ...

    async def append(
        self, conversation_id: str, events: list[dict[str, Any]], channel: str | None = None
    ) -> None: ...


@dataclass
class Side:
    """One side of the contract: the API, and what went out on a channel to a number."""

    admin: Admin
    sent_to: Callable[[str], list[str]]


@pytest.fixture(params=["fake", "rasa"])
async def side(
    request: pytest.FixtureRequest, stack: Stack, sms_gateway: FakeSmsGateway
) -> AsyncIterator[Side]:
    if request.param == "fake":
        fake = FakeRasaAdmin()
        yield Side(fake, lambda to: [str(e["text"]) for c, e in fake.delivered if c == to])
        return
    client = RasaAdminClient(stack.rasa_url, stack.jwt_secret)
    yield Side(client, sms_gateway.messages_to)
    await client.aclose()


def fresh_number() -> str:
    """A number no earlier run wrote in (the real tracker store keeps conversations)."""
    return f"+8613977{secrets.randbelow(10**6):06d}"


def said(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["event"], str(e.get("text"))) for e in events if e.get("event") in ("user", "bot")]


def agent_says(text: str) -> list[dict[str, Any]]:
    """What the desk appends for an agent's reply: the bot event, then listening."""
    return [
        {"event": "bot", "text": text, "timestamp": time.time(), "metadata": {"agent": "ann"}},
        {"event": "action", "name": "action_listen", "timestamp": time.time()},
    ]


async def test_a_conversation_nobody_wrote_in_has_nothing_said(side: Side) -> None:
    assert said(await side.admin.events(fresh_number())) == []


async def test_appended_events_come_back_in_order(side: Side) -> None:
    conversation = fresh_number()
    await side.admin.append(conversation, agent_says("Hello, this is Ann."))
    await side.admin.append(conversation, agent_says("Your bill is being checked."))
    assert said(await side.admin.events(conversation)) == [
        ("bot", "Hello, this is Ann."),
        ("bot", "Your bill is being checked."),
    ]


async def test_without_a_channel_nothing_goes_out(side: Side) -> None:
    conversation = fresh_number()
    await side.admin.append(conversation, agent_says("Noted for the record."))
    assert side.sent_to(conversation) == []


async def test_with_a_channel_the_bots_words_go_out_on_it(side: Side) -> None:
    conversation = fresh_number()
    await side.admin.append(conversation, agent_says("I have refunded 12.00 yuan."), "sms")
    deadline = time.monotonic() + 10
    while not side.sent_to(conversation) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert side.sent_to(conversation) == ["I have refunded 12.00 yuan."]
    assert said(await side.admin.events(conversation)) == [("bot", "I have refunded 12.00 yuan.")]
