"""Reply language from the characters of a message."""

from __future__ import annotations

import pytest

from bot.domain.language import DEFAULT_LANGUAGE, EN, ZH, detect_language, reply_language


@pytest.mark.parametrize("text", ["查余额", "我想查一下流量", "P58套餐", "ok 好的", "账单 bill"])
def test_chinese_characters_mean_chinese(text: str) -> None:
    assert detect_language(text) == ZH


@pytest.mark.parametrize("text", ["check my balance", "hi", "P58 please", "OK thanks!", "bye"])
def test_latin_words_mean_english(text: str) -> None:
    assert detect_language(text) == EN


@pytest.mark.parametrize("text", [None, "", "1", "58", "P", "?!", "👍", "  "])
def test_no_decision_without_words(text: str | None) -> None:
    """Digits, one letter, emoji: the conversation keeps its language."""
    assert detect_language(text) is None


def test_compatibility_ideographs_count_as_chinese() -> None:
    assert detect_language("\uf900") == ZH


def test_the_reply_language_is_the_first_known_evidence() -> None:
    assert reply_language(detect_language("余额"), EN) == ZH
    assert reply_language(None, "fr", EN, ZH) == EN
    assert reply_language(detect_language("0000"), None) == DEFAULT_LANGUAGE == EN
    assert reply_language() == DEFAULT_LANGUAGE
