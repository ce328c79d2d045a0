"""The Telegram bridge channel: signature, input validation, payload whitelist, identity."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic

from bot import services as bundle
from bot.bootstrap import RASA_SERVER, bootstrap
from bot.channels.sms.request import BadRequest
from bot.channels.telegram.input import TelegramBridgeInput, parse_bridge_message
from bot.channels.telegram.protocol import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BridgeMessage,
    signed_headers,
)
from bot.domain.identity import verified_identity
from tests.unit.trackers import IDENTITY_SECRET


def from_credentials(credentials: dict[str, Any] | None) -> InputChannel:
    """The channel as Rasa makes it from credentials.yml, after the Rasa server's start-up
    built its bundle from the environment the test set (``bot.rasa_ext.server``)."""
    bundle.install(bootstrap(RASA_SERVER))
    return TelegramBridgeInput.from_credentials(credentials)


SECRET = "bridge-secret"
URL = "/webhooks/telegram/webhook"
_apps = itertools.count()


@dataclass
class Bridge:
    """The channel mounted on a Sanic app, with what reached Rasa."""

    client: httpx.AsyncClient | None = None
    received: list[UserMessage] = field(default_factory=list)

    async def post(self, data: Any, secret: str | None = SECRET) -> httpx.Response:
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        headers = signed_headers(secret, body) if secret else {}
        assert self.client is not None
        return await self.client.post(URL, content=body, headers=headers)


async def _mounted(channel: TelegramBridgeInput) -> AsyncIterator[Bridge]:
    """The channel on a Sanic app served in-process (ASGI), started and stopped."""
    bridge = Bridge()

    async def on_new_message(message: UserMessage) -> None:
        bridge.received.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"echo {message.text}")
        await message.output_channel.send_text_with_buttons(
            message.sender_id, "Confirm?", [{"title": "Yes", "payload": "/affirm"}]
        )

    app = Sanic(f"bridge_test_{next(_apps)}")
    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/telegram")
    inbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    started = asyncio.Event()

    async def send(event: dict[str, str]) -> None:
        if event["type"] == "lifespan.startup.complete":
            started.set()

    await inbox.put({"type": "lifespan.startup"})
    lifespan = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, send)
    )
    await asyncio.wait_for(started.wait(), 10)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bridge.test") as client:
        bridge.client = client
        yield bridge
    await inbox.put({"type": "lifespan.shutdown"})
    # Sanic 21.12 goes on to handle the lifespan scope as a request, which fails.
    with contextlib.suppress(AttributeError):
        await asyncio.wait_for(lifespan, 10)


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several Sanic apps in one process (one per test) need Sanic's test mode."""
    monkeypatch.setattr(Sanic, "test_mode", True)


@pytest.fixture
async def bridge() -> AsyncIterator[Bridge]:
    async for mounted in _mounted(TelegramBridgeInput(SECRET, IDENTITY_SECRET)):
        yield mounted


def message(**changes: Any) -> dict[str, Any]:
    return {"sender_id": "tg-42", "message_id": "7-1", "text": "hello", "msisdn": None, **changes}


async def test_signed_message_reaches_rasa_and_replies_come_back(bridge: Bridge) -> None:
    response = await bridge.post(message(msisdn="+8613800000001"))
    assert response.status_code == 200
    assert response.json() == {
        "messages": [
            {"text": "echo hello", "buttons": None},
            {"text": "Confirm?", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
        ]
    }
    (received,) = bridge.received
    assert (received.sender_id, received.input_channel, received.message_id) == (
        "tg-42",
        "telegram",
        "7-1",
    )
    identity = verified_identity(IDENTITY_SECRET, received.metadata)
    assert identity == ("telegram", "+8613800000001")


async def test_no_number_means_no_identity(bridge: Bridge) -> None:
    assert (await bridge.post(message())).status_code == 200
    assert verified_identity(IDENTITY_SECRET, bridge.received[0].metadata) is None


@pytest.mark.parametrize("secret", [None, "wrong-secret"])
async def test_missing_or_wrong_signature_is_401(bridge: Bridge, secret: str | None) -> None:
    response = await bridge.post(message(msisdn="+8613800000001"), secret=secret)
    assert response.status_code == 401
    assert bridge.received == []


async def test_a_body_changed_after_signing_is_401(bridge: Bridge) -> None:
    body = json.dumps(message()).encode()
    tampered = body.replace(b'"msisdn": null', b'"msisdn": "+8613800000001"')
    headers = signed_headers(SECRET, body)
    assert bridge.client is not None
    response = await bridge.client.post(URL, content=tampered, headers=headers)
    assert response.status_code == 401 and bridge.received == []


async def test_bad_input_is_a_clear_4xx(bridge: Bridge) -> None:
    response = await bridge.post(message(sender_id="+8613800000001"))
    assert response.status_code == 400 and "tg-" in response.json()["error"]
    assert bridge.received == []


async def test_button_payload_passes_and_typed_slash_is_cleaned(bridge: Bridge) -> None:
    assert (await bridge.post(message(text="/affirm", payload=True))).status_code == 200
    assert (await bridge.post(message(text="/restart"))).status_code == 200
    assert [m.text for m in bridge.received] == ["/affirm", "restart"]


async def test_other_payloads_are_refused(bridge: Bridge) -> None:
    response = await bridge.post(message(text="/restart", payload=True))
    assert response.status_code == 400 and "/affirm" in response.json()["error"]
    assert bridge.received == []


async def test_without_a_bridge_secret_the_channel_is_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TELEGRAM_BRIDGE_SECRET", raising=False)
    channel = from_credentials(None)
    assert isinstance(channel, TelegramBridgeInput) and channel.secret is None
    async for bridge in _mounted(channel):
        assert (await bridge.post(message())).status_code == 503
        assert (await bridge.post(message(), secret=None)).status_code == 503
        assert bridge.received == []


def test_refuses_to_start_without_an_identity_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BRIDGE_SECRET", SECRET)
    monkeypatch.delenv("IDENTITY_SECRET", raising=False)
    with pytest.raises(ValueError, match="IDENTITY_SECRET"):
        from_credentials(None)


def test_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BRIDGE_SECRET", SECRET)
    channel = from_credentials(None)
    assert isinstance(channel, TelegramBridgeInput) and channel.secret == SECRET
    assert TelegramBridgeInput.name() == "telegram"


def _body(**changes: Any) -> bytes:
    return json.dumps(message(**changes), ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"{not json", 400, "JSON"),
        (b"\xff\xfe", 400, "UTF-8"),
        (b"[]", 400, "object"),
        (json.dumps({"sender_id": "tg-1", "text": "hi"}).encode(), 400, "strings"),
        (_body(text=5), 400, "strings"),
        (_body(sender_id="tg-abc"), 400, "sender_id"),
        (_body(message_id=""), 400, "message_id"),
        (_body(message_id="x" * 129), 400, "message_id"),
        (_body(msisdn="8613800000001"), 400, "E.164"),
        (_body(msisdn=8613800000001), 400, "E.164"),
        (_body(payload="yes"), 400, "payload"),
        (_body(text="  "), 400, "empty"),
        (_body(text="///"), 400, "empty"),
        (_body(text="x" * 4097), 413, "longer"),
        (b"{" + b" " * 17000 + b"}", 413, "too large"),
        (_body(text="/deny ", payload=True), 400, "payload"),
    ],
)
def test_parse_rejects(body: bytes, status: int, says: str) -> None:
    with pytest.raises(BadRequest, match=says) as raised:
        parse_bridge_message(body)
    assert raised.value.status == status


def test_parse_accepts_and_cleans() -> None:
    parsed = parse_bridge_message(_body(text=" //重启\x00 ", msisdn="+8613800000001"))
    assert parsed == BridgeMessage("tg-42", "7-1", "重启", "+8613800000001", False)
    assert parse_bridge_message(_body(text="/deny", payload=True)).text == "/deny"


def test_the_bridge_body_round_trips() -> None:
    sent = BridgeMessage("tg-9", "cb-1", "/affirm", "+8613800000004", True)
    assert parse_bridge_message(sent.to_body()) == sent


async def test_a_replayed_request_older_than_five_minutes_is_401(bridge: Bridge) -> None:
    body = json.dumps(message()).encode()
    stale = signed_headers(SECRET, body, now=time.time() - 301)
    assert bridge.client is not None
    response = await bridge.client.post(URL, content=body, headers=stale)
    assert response.status_code == 401 and bridge.received == []


async def test_the_timestamp_is_signed_with_the_body(bridge: Bridge) -> None:
    body = json.dumps(message()).encode()
    headers = signed_headers(SECRET, body, now=time.time() - 100)
    headers[TIMESTAMP_HEADER] = str(int(time.time()))  # refreshed by a replayer
    assert bridge.client is not None
    response = await bridge.client.post(URL, content=body, headers=headers)
    assert response.status_code == 401 and bridge.received == []
    only_body = {SIGNATURE_HEADER: headers[SIGNATURE_HEADER]}  # the old scheme: no timestamp
    response = await bridge.client.post(URL, content=body, headers=only_body)
    assert response.status_code == 401 and bridge.received == []


async def test_the_same_message_again_is_answered_but_acted_on_once(tmp_path: Any) -> None:
    """A replayed (or redelivered) update within the signature window gets the stored
    answer; Rasa sees the message once."""
    from bot.channels.sms.deliveries import Deliveries
    from bot.state.schema import state_engine

    store = Deliveries(state_engine(f"sqlite:///{tmp_path / 'state.db'}", autocommit=True))
    channel = TelegramBridgeInput(SECRET, IDENTITY_SECRET, deliveries=lambda: store)
    async for bridge in _mounted(channel):
        first = await bridge.post(message(message_id="9-5"))
        again = await bridge.post(message(message_id="9-5"))
        other = await bridge.post(message(message_id="9-6"))
        assert first.status_code == again.status_code == other.status_code == 200
        assert again.json() == first.json()
        assert [m.message_id for m in bridge.received] == ["9-5", "9-6"]
