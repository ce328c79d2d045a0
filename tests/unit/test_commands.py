"""Exact SMS command codes map to intents; anything else is ordinary text."""

from __future__ import annotations

import pytest

from bot.domain.commands import Command, parse_command
from bot.domain.language import detect_language


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("YE", "check_balance"),
        ("cxye", "check_balance"),
        ("  Ye \n", "check_balance"),
        ("ＹＥ", "check_balance"),
        ("LL", "check_usage"),
        ("CXLL", "check_usage"),
        ("TC", "current_plan"),
        ("cxtc", "current_plan"),
        ("ZD", "check_bill"),
        ("CXZD", "check_bill"),
        ("0000", "list_subscriptions"),
        ("RG", "human_handoff"),
        ("ZRG", "human_handoff"),
        ("人工", "human_handoff"),
        ("HELP", "command_help"),
        ("help", "command_help"),
        ("?", "command_help"),
        ("？", "command_help"),
        ("帮助", "command_help"),
    ],
)
def test_codes(text: str, intent: str) -> None:
    assert parse_command(text) == Command(intent)


@pytest.mark.parametrize("text", ["TD VRBT", "td vrbt", " TD  vrbt ", "ＴＤ ＶＲＢＴ"])
def test_unsubscribe_carries_the_service_code(text: str) -> None:
    assert parse_command(text) == Command("unsubscribe", "VRBT")


@pytest.mark.parametrize(
    "text", ["查YE", "YE please", "what does LL mean", "TD", "TDVRBT", "00000", "人工客服在吗", ""]
)
def test_codes_inside_text_are_ordinary_text(text: str) -> None:
    assert parse_command(text) is None


def test_codes_do_not_change_the_reply_language() -> None:
    assert detect_language("YE") is None
    assert detect_language("TD NEWS") is None
    assert detect_language("help") is None
    assert detect_language("help me") == "en"


@pytest.mark.parametrize("text", ["ok", "OK!", "okay", "kk", "haha ok", "emm"])
def test_words_chinese_customers_write_too_keep_the_language(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize("text", ["ok thanks a lot", "hi", "bye bye", "sorry wrong number"])
def test_english_around_those_words_is_english(text: str) -> None:
    assert detect_language(text) == "en"
