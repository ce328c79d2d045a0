"""A store outage: recognised through the causes of an error, messages kept and tried
again until answered, and the Telegram bridge sending a 503'd message again."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any, cast

import httpx
import pytest
from rasa.core.lock_store import LockError
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import OperationalError

from bot.channels.later import KeptMessages
from bot.channels.outage import StoreUnavailable, is_lock_outage, is_outage
from bot.channels.sms.gateway_routes import GatewayRoutes
from bot.channels.sms.request import InboundSms
from bot.channels.telegram.protocol import BridgeMessage
from bot.telegram_bridge.rasa_client import BridgeError, RasaBridgeClient


def chained(error: BaseException) -> Exception:
    """``error`` as the cause of another, as Rasa re-raises store errors."""
    try:
        try:
            raise error
        except BaseException as inner:
            raise RuntimeError("handling the message failed") from inner
    except RuntimeError as outer:
        return outer


def test_database_and_redis_errors_are_outages_through_their_causes() -> None:
    database = OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))
    assert is_outage(chained(database)) and not is_lock_outage(chained(database))
    assert is_outage(chained(RedisConnectionError("down")))
    assert is_lock_outage(chained(LockError("no lock")))
    assert not is_outage(chained(ValueError("a bug"))) and not is_outage(KeyError("x"))


async def test_a_kept_message_is_tried_until_answered_and_once_at_a_time() -> None:
    kept = KeptMessages(first_pause=0.01, longest_pause=0.02)
    attempts: list[int] = []

    async def attempt() -> bool:
        attempts.append(1)
        return len(attempts) >= 3  # the store is back at the third try

    assert kept.keep("m-1", attempt) and kept.keep("m-1", attempt)  # kept once
    assert len(kept) == 1
    for _ in range(100):
        if not len(kept):
            break
        await asyncio.sleep(0.01)
    assert len(attempts) == 3 and len(kept) == 0


async def test_kept_messages_are_bounded_and_given_up_after_their_time() -> None:
    kept = KeptMessages(keep_seconds=0.05, most=1, first_pause=0.01, longest_pause=0.01)
    tries: list[str] = []

    async def never() -> bool:
        tries.append("x")
        return False

    assert kept.keep("a", never) and not kept.keep("b", never)  # one at most
    await asyncio.sleep(0.15)
    assert len(kept) == 0 and tries  # tried, then given up
    await kept.close()


async def test_the_bridge_sends_a_503d_message_again_until_rasa_answers() -> None:
    seen: list[str] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        seen.append(request.content.decode())
        if len(seen) < 3:
            return httpx.Response(503, headers={"Retry-After": "0.01"}, json={"error": "down"})
        return httpx.Response(200, json={"messages": [{"text": "余额23.50元", "buttons": []}]})

    client = RasaBridgeClient("http://rasa.test", "s", transport=httpx.MockTransport(rasa))
    replies = await client.send(BridgeMessage("tg-1", "7", "查余额"))
    await client.aclose()
    assert len(seen) == 3 and len(set(seen)) == 1  # the same message (and id) each time
    assert [r.text for r in replies] == ["余额23.50元"]


async def test_the_bridge_gives_up_after_its_keep_time() -> None:
    def down(_: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "0.1"}, json={"error": "down"})

    client = RasaBridgeClient(
        "http://rasa.test", "s", transport=httpx.MockTransport(down), keep_seconds=0.35
    )
    with pytest.raises(BridgeError, match="503"):
        await client.send(BridgeMessage("tg-1", "8", "hi"))
    await client.aclose()


class DownThenUp:
    """The SMS channel's once-only handling while the store is down, then back."""

    def __init__(self, down_for: int) -> None:
        self.max_text = 500
        self.calls = 0
        self._down_for = down_for

    async def handle(self, request: Any, sms: InboundSms, on_new_message: Any) -> dict[str, Any]:
        self.calls += 1
        if self.calls <= self._down_for:
            raise StoreUnavailable("tracker store down")
        return {"replies": [{"to": sms.sender, "text": "您的余额为23.50元。", "segments": 1}]}


class Sent:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, to: str, text: str) -> None:
        self.sent.append((to, text))


async def test_a_twilio_message_kept_in_an_outage_is_answered_once_by_the_api() -> None:
    sender, channel = Sent(), DownThenUp(down_for=3)
    routes = GatewayRoutes(
        "twilio", cast(Any, sender), later=KeptMessages(first_pause=0.01, longest_pause=0.01)
    )
    sms = InboundSms("SM1", "+8613800000001", "10086", "查余额")
    assert not await routes._answer_later(cast(Any, None), channel, sms, None)  # still down
    assert routes.later.keep(
        sms.message_id, partial(routes._answer_later, None, channel, sms, None)
    )
    for _ in range(100):
        if not len(routes.later):
            break
        await asyncio.sleep(0.01)
    assert sender.sent == [("+8613800000001", "您的余额为23.50元。")]
    assert channel.calls == 4
