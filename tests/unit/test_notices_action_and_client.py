"""``action_send_notice`` says each notice with its figures, in both languages; the Rasa
client triggers it with the channel named and the id encoded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.notices import RESPONSES, ActionSendNotice
from bot.domain.files import load_domain
from bot.domain.responses import render
from bot.handoff.rasa_api import RasaAdminClient
from bot.notices.sender import carries

DOMAIN = load_domain(Path("domain"))


def notice_tracker(entities: dict[str, str]) -> Tracker:
    parse_data = {
        "intent": {"name": "EXTERNAL_notice_bill", "confidence": 1.0},
        "entities": [{"entity": k, "value": v} for k, v in entities.items()],
    }
    return Tracker(
        "+8613800000005",
        {"language": entities.get("language")},
        parse_data,
        [],
        False,
        None,
        {},
        "action_listen",
    )


async def test_the_bill_notice_says_the_month_and_amount() -> None:
    dispatcher = CollectingDispatcher()
    tracker = notice_tracker(
        {
            "notice_event": "bill",
            "notice_amount": "23.50",
            "notice_month": "2026-10",
            "notice_key": "+8613800000005/bill/2026-10",
            "language": "zh",
        }
    )
    assert await ActionSendNotice().run(dispatcher, tracker, DOMAIN) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_notice_bill"
    assert message["notice_amount"] == "23.50" and message["notice_month"] == "2026-10"


WARN = {
    "notice_event": "data_warn",
    "notice_amount": "37.0",
    "notice_limit": "46.0",
    "notice_percent": "80",
    "notice_key": "+8613800000001/data_warn/2026-11",
}
EXTRAS = {
    "notice_unusual": "1.8",
    "notice_months": "6",
    "notice_packs": "2",
    "notice_pack_gb": "6.0",
}


async def said(entities: dict[str, str]) -> tuple[dict[str, Any], str]:
    """The message the action utters, and its text as Rasa fills it in the language."""
    dispatcher = CollectingDispatcher()
    await ActionSendNotice().run(dispatcher, notice_tracker(entities), DOMAIN)
    [message] = dispatcher.messages
    values = {k: v for k, v in message.items() if isinstance(v, str)}
    return message, render(DOMAIN, message["response"], entities["language"], **values)


async def test_a_data_notice_explains_unusual_use_and_counts_the_packs_in_one_message() -> None:
    message, text = await said({**WARN, **EXTRAS, "language": "zh"})
    assert message["response"] == "utter_notice_data_warn"
    assert "含本月已购流量包2个，共 6.0 GB" in text and "46.0 GB" in text
    assert "1.8 倍" in text and "近6个月" in text
    assert "后台" in text and "自动播放" in text and "仅Wi-Fi" in text
    assert "安卓" in text and "苹果" in text and text.endswith("关闭流量提醒。")
    _, english = await said({**WARN, **EXTRAS, "language": "en"})
    assert "including 2 add-on pack(s) bought this month, 6.0 GB" in english
    assert "1.8 times" in english and "last 6 months" in english
    assert "background" in english and "autoplay to Wi-Fi only" in english


async def test_a_data_notice_without_extras_has_no_empty_sentences() -> None:
    message, text = await said({**WARN, "language": "zh"})
    assert message["notice_packs_part"] == message["notice_unusual_part"] == ""
    assert "达到套餐流量 46.0 GB 的 80%。回复" in text
    _, english = await said({**WARN, "language": "en"})
    assert "80% of your plan's 46.0 GB. Reply" in english


async def test_the_unusual_data_notice_has_its_own_text() -> None:
    entities = {
        **WARN,
        **EXTRAS,
        "notice_event": "data_unusual",
        "notice_percent": "40",
        "language": "zh",
    }
    message, text = await said(entities)
    assert message["response"] == "utter_notice_data_unusual"
    assert "比平时用得快" in text and "自动播放" in text


async def test_a_notice_without_a_known_event_says_nothing() -> None:
    dispatcher = CollectingDispatcher()
    await ActionSendNotice().run(dispatcher, notice_tracker({"notice_event": "x"}), DOMAIN)
    assert dispatcher.messages == []


@pytest.mark.parametrize("response", sorted(RESPONSES.values()))
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_notice_text_exists_in_both_languages_with_its_figures(
    response: str, language: str
) -> None:
    figures = {
        "notice_amount": "2.10",
        "notice_limit": "5.00",
        "notice_percent": "80",
        "notice_month": "2026-10",
        "notice_packs_part": "",
        "notice_unusual_part": "",
    }
    text = render(DOMAIN, response, language, **figures)
    assert ("元" in text or "GB" in text) if language == "zh" else ("yuan" in text or "GB" in text)
    assert "{" not in text and ("2.10" in text or "5.00" in text or "2026-10" in text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text) is (language == "zh")


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={"tracker": {}, "slots": {}, "events": []})


async def test_trigger_intent_names_the_channel_and_carries_the_key() -> None:
    recorder = Recorder()
    client = RasaAdminClient("http://rasa", "t0ken", transport=httpx.MockTransport(recorder))
    entities = {"notice_key": "+8613800000005/bill/2026-10", "language": "zh"}
    await client.trigger_intent("+8613800000005", "EXTERNAL_notice_bill", entities, "sms")
    await client.trigger_intent("a/../b", "EXTERNAL_notice_bill", entities, "rest")
    await client.tracker("tg-42")
    await client.aclose()
    first, hostile, tracker = recorder.requests
    assert first.url.path == "/conversations/+8613800000005/trigger_intent"
    assert dict(first.url.params) == {"output_channel": "sms"}  # the JWT is in a header
    assert json.loads(first.content) == {"name": "EXTERNAL_notice_bill", "entities": entities}
    assert hostile.url.raw_path.startswith(b"/conversations/a%2F..%2Fb/trigger_intent")
    assert tracker.url.path == "/conversations/tg-42/tracker"


def test_a_notice_is_recognised_in_the_tracker_by_its_key() -> None:
    event: dict[str, Any] = {
        "event": "user",
        "parse_data": {"entities": [{"entity": "notice_key", "value": "k/bill/2026-10"}]},
    }
    assert carries(event, "k/bill/2026-10")
    assert not carries(event, "k/bill/2026-09")
    assert not carries({"event": "bot", "text": "k/bill/2026-10"}, "k/bill/2026-10")


def test_the_domain_has_every_notice_intent() -> None:
    intents = set(DOMAIN["intents"])
    assert {
        "EXTERNAL_notice_balance",
        "EXTERNAL_notice_data",
        "EXTERNAL_notice_data_full",
        "EXTERNAL_notice_bill",
    } <= intents
