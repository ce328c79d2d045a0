"""The Telegram front end: the real bridge process polling a fake Bot API, the real Rasa stack.

Each test plays Telegram users (fresh user ids, so fresh conversations) and
reads what the bridge sent back through the Bot API.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from telegram import Bot, Chat

from bot.billing.models import PlanChangeOrderRow
from bot.channels.telegram.formatting import MESSAGE_LIMIT
from bot.channels.telegram.protocol import SIGNATURE_HEADER, BridgeMessage, signed_headers
from bot.state.tables import TelegramLinkRow
from bot.telegram_bridge.sending import send_text
from tests.e2e.conftest import BRIDGE_SECRET, DEMO, ROOT, month_ago
from tests.fakes.telegram import TOKEN, FakeTelegram, telegram_user
from tools.devstack import Stack, free_port

pytestmark = pytest.mark.e2e

C1, C2, C3, C4, C5 = DEMO
# Callback data the bridge answers and ignores. A chat's updates are handled one at a
# time, in order (other chats' at the same time), so once the bridge answers this probe,
# everything the user sent before is done.
PROBE = "/probe"
_user_ids = itertools.count(7_100_000_001)


def new_user(language: str = "en") -> dict[str, Any]:
    return telegram_user(next(_user_ids), language)


async def act(fake: FakeTelegram, user: dict[str, Any], action: Callable[[], Any]) -> list[dict]:
    """Do what a user does; the messages the bridge sent to their chat in answer."""
    mark = fake.mark()
    action()
    probe = fake.press(user, PROBE)
    await fake.wait_for("answerCallbackQuery", lambda p: p.get("callback_query_id") == probe, 90)
    sent = fake.calls_to("sendMessage", since=mark)
    return [call.params for call in sent if call.params.get("chat_id") == user["id"]]


async def say(fake: FakeTelegram, user: dict[str, Any], text: str) -> list[dict]:
    return await act(fake, user, lambda: fake.send_text(user, text))


async def press(fake: FakeTelegram, user: dict[str, Any], data: str) -> list[dict]:
    return await act(fake, user, lambda: fake.press(user, data))


def text_of(messages: list[dict]) -> str:
    """What the user reads (the messages are sent as HTML)."""
    assert all(m["parse_mode"] == "HTML" for m in messages), messages
    return "\n".join(html.unescape(m["text"]) for m in messages)


def callback_data(message: dict) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button["callback_data"] for row in rows for button in row]


async def linked_user(fake: FakeTelegram, msisdn: str, language: str = "en") -> dict[str, Any]:
    user = new_user(language)
    await act(fake, user, lambda: fake.send_contact(user, msisdn.lstrip("+"), user["id"]))
    return user


async def test_start_greets_in_the_app_language_and_offers_the_contact_button(
    fake_telegram: FakeTelegram,
) -> None:
    (welcome,) = await say(fake_telegram, new_user("zh-hans"), "/start")
    assert "您好" in welcome["text"] and "小通" in welcome["text"]
    (button,) = welcome["reply_markup"]["keyboard"][0]
    assert button == {"text": "分享我的手机号", "request_contact": True}
    (welcome,) = await say(fake_telegram, new_user("en"), "/start")
    assert welcome["text"].startswith("Hi Ann")
    assert welcome["reply_markup"]["keyboard"][0][0]["text"] == "Share my phone number"


async def test_sharing_ones_own_contact_links_the_number(
    fake_telegram: FakeTelegram, state_db: Engine
) -> None:
    user = new_user("zh")
    (linked,) = await act(
        fake_telegram, user, lambda: fake_telegram.send_contact(user, "8613800000001", user["id"])
    )
    assert "已绑定号码+86138****0001" in text_of([linked])
    assert linked["reply_markup"] == {"remove_keyboard": True}
    with Session(state_db) as session:
        row = session.get(TelegramLinkRow, user["id"])
        assert row is not None and row.msisdn == C1


@pytest.mark.parametrize("owner", ["someone else", "nobody on Telegram"])
async def test_someone_elses_contact_is_refused(
    fake_telegram: FakeTelegram, state_db: Engine, owner: str
) -> None:
    user = new_user()
    owner_id = user["id"] + 1 if owner == "someone else" else None
    refused = await act(
        fake_telegram, user, lambda: fake_telegram.send_contact(user, "8613800000002", owner_id)
    )
    assert "only link your own number" in text_of(refused)
    with Session(state_db) as session:
        assert session.get(TelegramLinkRow, user["id"]) is None


async def test_linked_customer_gets_the_balance_in_chinese(fake_telegram: FakeTelegram) -> None:
    user = await linked_user(fake_telegram, C1, "en")
    assert "余额为23.50元" in text_of(await say(fake_telegram, user, "查余额"))


async def test_unlinked_user_gets_no_account_data_but_the_plan_list(
    fake_telegram: FakeTelegram,
) -> None:
    user = new_user()
    reply = text_of(await say(fake_telegram, user, "what's my balance?"))
    assert "plans" in reply and "yuan" not in reply
    catalogue = text_of(await say(fake_telegram, user, "有哪些套餐"))
    assert "畅享58元套餐 58.00元/月（40.0GB，500分钟，100条短信）" in catalogue


async def test_plan_change_confirmed_with_inline_buttons(
    fake_telegram: FakeTelegram, billing_db: Engine
) -> None:
    user = await linked_user(fake_telegram, C4)
    offer = await say(fake_telegram, user, "recommend me a plan")
    assert "I recommend Max 88" in text_of(offer)
    assert callback_data(offer[-1]) == ["/affirm", "/deny"]
    mark = fake_telegram.mark()
    question = await press(fake_telegram, user, "/affirm")
    assert "88.00 yuan a month" in text_of(question)
    assert callback_data(question[-1]) == ["/affirm", "/deny"]
    done = text_of(await press(fake_telegram, user, "/affirm"))
    order_id = re.search(r"Order (PC\d{10})", done)
    assert order_id, done
    with Session(billing_db) as session:
        order = session.get(PlanChangeOrderRow, order_id.group(1))
        assert order is not None and (order.msisdn, order.to_plan) == (C4, "P88")
    # Each press was answered (with the probes: 4) and its buttons removed.
    assert len(fake_telegram.calls_to("answerCallbackQuery", since=mark)) == 4
    retired = fake_telegram.calls_to("editMessageReplyMarkup", since=mark)
    assert [(c.params["chat_id"], c.params.get("reply_markup")) for c in retired] == [
        (user["id"], None),
        (user["id"], None),
    ]


async def test_unlink_then_no_account_data(fake_telegram: FakeTelegram) -> None:
    user = await linked_user(fake_telegram, C1)
    assert "23.50" in text_of(await say(fake_telegram, user, "check my balance"))
    assert "unlinked" in text_of(await say(fake_telegram, user, "/unlink"))
    reply = text_of(await say(fake_telegram, user, "check my balance"))
    assert "plans" in reply and "yuan" not in reply
    assert "No number is linked" in text_of(await say(fake_telegram, user, "/unlink"))


async def test_the_command_menu_is_set_in_english_and_chinese(
    fake_telegram: FakeTelegram,
) -> None:
    await say(fake_telegram, new_user("en"), "/help")  # the bridge is up
    menus = {
        call.params.get("language_code"): [
            c["command"] for c in json.loads(call.params["commands"])
        ]
        if isinstance(call.params["commands"], str)
        else [c["command"] for c in call.params["commands"]]
        for call in fake_telegram.calls_to("setMyCommands")
    }
    assert menus == {None: ["start", "help", "unlink"], "zh": ["start", "help", "unlink"]}


async def test_a_deep_link_asks_what_it_names_after_the_welcome(
    fake_telegram: FakeTelegram,
) -> None:
    user = await linked_user(fake_telegram, C3, "zh-hans")
    sent = await say(fake_telegram, user, "/start bill")
    assert "您好" in sent[0]["text"], sent  # the welcome, then what the link asked for
    answer = text_of(sent[1:])
    assert f"{month_ago(1)} 100.00元" in answer, answer


async def test_help(fake_telegram: FakeTelegram) -> None:
    assert "查余额" in text_of(await say(fake_telegram, new_user("zh-hant"), "/help"))


async def test_customer_text_is_html_escaped_and_plain_text_buttons_work(
    fake_telegram: FakeTelegram,
) -> None:
    user = await linked_user(fake_telegram, C4)
    form = await say(fake_telegram, user, "I want to file a complaint")
    assert "billing dispute" in callback_data(form[-1])
    assert "describe" in text_of(await press(fake_telegram, user, "billing dispute"))
    summary = await say(fake_telegram, user, "charged <twice> & then > thrice")
    assert "charged &lt;twice&gt; &amp; then &gt; thrice" in summary[-1]["text"]
    assert "cancelled" in text_of(await press(fake_telegram, user, "/deny"))


async def test_injected_intents_are_refused(fake_telegram: FakeTelegram, stack: Stack) -> None:
    user = new_user()
    # A modified client can put any callback data on a button: unknown payloads are dropped.
    assert await press(fake_telegram, user, "/restart") == []
    # Only the bridge can post to the channel, and only the two button payloads.
    url = f"{stack.rasa_url}/webhooks/telegram/webhook"
    body = BridgeMessage(f"tg-{user['id']}", "x-1", "/restart", C1, True).to_body()
    async with httpx.AsyncClient() as client:
        unsigned = await client.post(url, content=body)
        signed = await client.post(url, content=body, headers={SIGNATURE_HEADER: "0" * 64})
        bridge = await client.post(url, content=body, headers=signed_headers(BRIDGE_SECRET, body))
    assert (unsigned.status_code, signed.status_code, bridge.status_code) == (401, 401, 400)


async def test_a_long_reply_is_split_under_the_limit(fake_telegram: FakeTelegram) -> None:
    lines = [f"{i:03d} <plan> & {'x' * 80}" for i in range(100)]  # about 9,900 characters
    bot = Bot(TOKEN, base_url=fake_telegram.base_url)
    mark = fake_telegram.mark()
    async with bot:
        chat = Chat(99, Chat.PRIVATE)
        chat.set_bot(bot)
        await send_text(chat, "\n".join(lines))
    sent = [c.params["text"] for c in fake_telegram.calls_to("sendMessage", since=mark)]
    assert len(sent) == 3 and all(len(text) <= MESSAGE_LIMIT for text in sent)
    assert html.unescape("\n".join(sent)).split("\n") == lines


@pytest.fixture
def webhook_bridge(stack: Stack, fake_telegram: FakeTelegram) -> Iterator[str]:
    """A second bridge in webhook mode; its local URL."""
    port = free_port()
    env = {
        **os.environ,
        **stack.env,
        "RASA_URL": stack.rasa_url,
        "TELEGRAM_MODE": "webhook",
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.test/tg/hook",
        "TELEGRAM_WEBHOOK_SECRET": "hook-secret",
        "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
        "TELEGRAM_WEBHOOK_PORT": str(port),
    }
    log = (stack.workdir / "telegram-webhook.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "telegram"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 60
        while not fake_telegram.calls_to("setWebhook"):
            assert process.poll() is None and time.monotonic() < deadline, "webhook bridge failed"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/tg/hook"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


async def test_webhook_mode_checks_telegrams_secret_token(
    fake_telegram: FakeTelegram, webhook_bridge: str
) -> None:
    (registered,) = fake_telegram.calls_to("setWebhook")
    assert registered.params["url"] == "https://bot.example.test/tg/hook"
    assert registered.params["secret_token"] == "hook-secret"
    user = new_user("zh")
    update = {"update_id": 1, "message": _text_message(user, "有哪些套餐")}
    body = json.dumps(update).encode()
    headers = {"Content-Type": "application/json"}
    async with httpx.AsyncClient() as client:
        forged = await client.post(webhook_bridge, content=body, headers=headers)
        headers["X-Telegram-Bot-Api-Secret-Token"] = "hook-secret"
        accepted = await client.post(webhook_bridge, content=body, headers=headers)
    assert (forged.status_code, accepted.status_code) == (403, 200)
    reply = await fake_telegram.wait_for("sendMessage", lambda p: p["chat_id"] == user["id"], 90)
    assert "在售套餐" in reply.params["text"]


def _text_message(user: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "message_id": 1,
        "date": int(time.time()),
        "chat": {"id": user["id"], "type": "private"},
        "from": user,
        "text": text,
    }
