"""The bridge's parts: keyboards, texts from the domain, settings, the Rasa client, links."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, User

from bot.channels.signing import verify
from bot.channels.telegram.keyboards import buttons_markup, contact_keyboard
from bot.channels.telegram.protocol import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BotReply,
    BridgeMessage,
    Button,
    is_button_payload,
)
from bot.state.schema import migrate
from bot.storage.db import make_engine
from bot.telegram_bridge import texts
from bot.telegram_bridge.links import TelegramLinkStore
from bot.telegram_bridge.rasa_client import BridgeError, RasaBridgeClient
from bot.telegram_bridge.settings import load_telegram_settings
from bot.verification.service import PhoneVerifier
from tests.fakes import FakeSmsSender, memory_engine

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
YES_NO = (Button("Confirm", "/affirm"), Button("Cancel", "/deny"))


def test_confirmation_buttons_are_inline_with_the_payload_as_callback_data() -> None:
    markup = buttons_markup(YES_NO)
    assert isinstance(markup, InlineKeyboardMarkup)
    (row,) = markup.inline_keyboard
    assert [(b.text, b.callback_data) for b in row] == [("Confirm", "/affirm"), ("Cancel", "/deny")]


def test_plain_text_payloads_fit_callback_data_in_rows_of_two() -> None:
    categories = [Button(f"类别{i}", "网络信号问题") for i in range(5)]
    markup = buttons_markup(categories)
    assert isinstance(markup, InlineKeyboardMarkup)
    assert [len(row) for row in markup.inline_keyboard] == [2, 2, 1]
    assert buttons_markup(()) is None


def test_payloads_over_64_bytes_become_reply_keyboard_buttons_sending_the_payload() -> None:
    long = "网络信号问题" * 4  # 72 bytes in UTF-8
    markup = buttons_markup((Button("Network", long), Button("Other", "other problem")))
    assert isinstance(markup, ReplyKeyboardMarkup)
    assert [b.text for b in markup.keyboard[0]] == [long, "other problem"]


def test_contact_keyboard_requests_the_users_own_number() -> None:
    (row,) = contact_keyboard("Share my phone number").keyboard
    assert row[0].request_contact is True and row[0].text == "Share my phone number"


@pytest.mark.parametrize(
    ("code", "language"),
    [("zh-hans", "zh"), ("zh-TW", "zh"), ("en", "en"), ("ru", "en"), (None, "en")],
)
def test_language_from_the_telegram_app(code: str | None, language: str) -> None:
    user = User(1, "Ann", False, language_code=code)
    assert texts.language_of(user) == language
    assert texts.language_of(None) == "en"


def test_bridge_texts_come_from_the_domain_in_both_languages() -> None:
    bridge_texts = texts.BridgeTexts.load(DOMAIN)
    assert "Ann" in bridge_texts.render(texts.WELCOME, "en", name="Ann")
    assert "您好" in bridge_texts.render(texts.WELCOME, "zh", name="Ann")
    assert bridge_texts.render(texts.SHARE_CONTACT_BUTTON, "zh") == "分享我的手机号"
    linked = bridge_texts.render(texts.LINKED, "en", msisdn="+86138****0001")
    assert "+86138****0001" in linked


def test_bridge_texts_refuse_a_domain_without_them() -> None:
    with pytest.raises(ValueError, match="utter_telegram_welcome"):
        texts.BridgeTexts({"responses": {}})


def test_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TELEGRAM_MODE", "TELEGRAM_API_BASE_URL", "RASA_URL", "TELEGRAM_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN"):
        load_telegram_settings()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    monkeypatch.delenv("TELEGRAM_BRIDGE_SECRET", raising=False)
    with pytest.raises(ValueError, match="TELEGRAM_BRIDGE_SECRET"):
        load_telegram_settings()
    monkeypatch.setenv("TELEGRAM_BRIDGE_SECRET", "s")
    settings = load_telegram_settings()
    assert (settings.mode, settings.api_base_url) == ("polling", "https://api.telegram.org/bot")
    monkeypatch.setenv("TELEGRAM_MODE", "webhook")
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_URL"):
        load_telegram_settings()
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg/hook")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "not valid!")
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
        load_telegram_settings()
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "good_secret-1")
    assert load_telegram_settings().webhook_path == "tg/hook"


async def test_rasa_client_signs_the_body_and_parses_replies() -> None:
    seen: list[httpx.Request] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        buttons = [{"title": "Confirm", "payload": "/affirm"}]
        return httpx.Response(200, json={"messages": [{"text": "Sure?", "buttons": buttons}]})

    client = RasaBridgeClient("http://rasa.test/", "s3cret", transport=httpx.MockTransport(rasa))
    message = BridgeMessage("tg-1", "1-2", "switch to Max 88", "+8613800000004")
    replies = await client.send(message)
    await client.aclose()
    assert replies == [BotReply("Sure?", (Button("Confirm", "/affirm"),))]
    (request,) = seen
    assert str(request.url) == "http://rasa.test/webhooks/telegram/webhook"
    timestamp = request.headers[TIMESTAMP_HEADER]
    assert abs(int(timestamp) - time.time()) < 60
    signed = f"{timestamp}.".encode() + request.content
    assert verify("s3cret", signed, request.headers[SIGNATURE_HEADER])
    assert json.loads(request.content)["msisdn"] == "+8613800000004"


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(401, json={"error": "invalid or missing signature"}),
        httpx.Response(200, json={"replies": []}),
        httpx.Response(200, text="not json"),
    ],
)
async def test_rasa_client_failures_are_bridge_errors(answer: httpx.Response) -> None:
    client = RasaBridgeClient(
        "http://rasa.test", "s", transport=httpx.MockTransport(lambda _: answer)
    )
    with pytest.raises(BridgeError):
        await client.send(BridgeMessage("tg-1", "1", "hi"))
    await client.aclose()


async def test_rasa_down_is_a_bridge_error() -> None:
    def down(request: httpx.Request) -> Any:
        raise httpx.ConnectError("refused", request=request)

    client = RasaBridgeClient("http://rasa.test", "s", transport=httpx.MockTransport(down))
    with pytest.raises(BridgeError, match="unreachable"):
        await client.send(BridgeMessage("tg-1", "1", "hi"))
    await client.aclose()


async def test_links_survive_a_restart_and_a_number_moves_to_its_new_owner(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'billing.db'}"
    migrate(make_engine(url))
    store = TelegramLinkStore(make_engine(url), clock=lambda: dt.datetime(2026, 11, 28, 9, 0))
    await store.link(1, "+8613800000001")
    await store.link(2, "+8613800000002")
    restarted = TelegramLinkStore(make_engine(url))
    assert await restarted.msisdn_for(1) == "+8613800000001"
    await restarted.link(1, "+8613800000003")  # a user links another number
    await restarted.link(3, "+8613800000002")  # a recycled number, shared by its new owner
    assert [await restarted.msisdn_for(u) for u in (1, 2, 3)] == [
        "+8613800000003",
        None,
        "+8613800000002",
    ]
    assert await restarted.unlink(1) is True
    assert await restarted.unlink(1) is False
    assert await restarted.msisdn_for(1) is None


async def test_unlink_also_forgets_a_number_verified_by_code() -> None:
    sms = FakeSmsSender()
    engine = memory_engine()
    verifier = PhoneVerifier(engine, sms, pepper="pepper")
    await verifier.start("tg-42", "telegram", "+8613800000001", lambda code: code)
    await verifier.check("tg-42", "telegram", sms.sent[0][1])
    assert await verifier.verified_number("tg-42", "telegram") == "+8613800000001"
    assert await TelegramLinkStore(engine).unlink(42) is True
    assert await verifier.verified_number("tg-42", "telegram") is None


@pytest.mark.parametrize(
    "payload",
    ["/affirm", '/rate_service{"rating": "neutral"}', '/choose_data_pack{"data_pack":"DP1G"}'],
)
def test_the_bots_own_buttons_are_payloads(payload: str) -> None:
    assert is_button_payload(payload)


@pytest.mark.parametrize(
    "payload",
    [
        "/restart",
        '/change_plan{"plan": "P88"}',
        '/choose_data_pack{"data_pack":"DP1G","x":"1"}',
        '/choose_data_pack{"data_pack":"dp1g; drop"}',
        '/choose_data_pack{"data_pack":"DP1G"} and more',
    ],
)
def test_other_intents_are_not_payloads(payload: str) -> None:
    assert not is_button_payload(payload)
