"""Shaping text for Telegram: HTML escaping, splitting under 4096, phone numbers."""

from __future__ import annotations

import pytest

from bot.channels.telegram.formatting import MESSAGE_LIMIT, html_cost, split_message, to_html
from bot.domain.numbers import mask_numbers, normalise_msisdn


def test_html_escaping() -> None:
    assert to_html("speed <1 Mbps & drops > 5 times") == "speed &lt;1 Mbps &amp; drops &gt; 5 times"
    assert to_html('<b>"hi"</b>') == "&lt;b&gt;&quot;hi&quot;&lt;/b&gt;"
    assert to_html("余额23.50元") == "余额23.50元"


def test_a_short_message_is_one_part() -> None:
    assert split_message("  Your balance is 23.50 yuan.  ") == ["Your balance is 23.50 yuan."]
    assert split_message("") == []


def test_long_text_splits_at_line_boundaries() -> None:
    lines = [f"{i:04d} " + "x" * 95 for i in range(100)]  # 100 lines of 100 characters
    parts = split_message("\n".join(lines))
    assert len(parts) == 3
    assert all(len(part) <= MESSAGE_LIMIT for part in parts)
    assert "\n".join(parts).split("\n") == lines  # cut between lines, nothing lost


def test_long_text_prefers_paragraphs_then_sentences() -> None:
    paragraph = "第一段。" * 500  # 2000 characters
    parts = split_message(f"{paragraph}\n\n{paragraph}\n\n{paragraph}")
    assert parts == [f"{paragraph}\n\n{paragraph}", paragraph]
    sentences = "This is one sentence. " * 300  # 6600 characters, no newline
    parts = split_message(sentences)
    assert all(part.endswith(".") and len(part) <= MESSAGE_LIMIT for part in parts)
    assert " ".join(parts) == sentences.strip()


def test_decimal_points_are_not_sentence_ends() -> None:
    text = "a" * 90 + " 23.50 " + "b" * 20
    parts = split_message(text, limit=100)
    assert parts == ["a" * 90 + " 23.50", "b" * 20]


def test_text_without_boundaries_is_cut_hard() -> None:
    parts = split_message("x" * 10000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]


def test_escaping_counts_towards_the_limit() -> None:
    text = "&" * 3000  # 15000 characters once escaped
    parts = split_message(text, cost=html_cost)
    assert all(len(to_html(part)) <= MESSAGE_LIMIT for part in parts)
    assert "".join(parts) == text


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("8613800000001", "+8613800000001"),
        ("+8613800000001", "+8613800000001"),
        ("+86 138-0000-0001", "+8613800000001"),
        ("008613800000001", "+8613800000001"),
        ("(+44) 20.7946.0000", "+442079460000"),
        ("", None),
        ("+86abc", None),
        ("12345", None),
        ("+1234567890123456", None),
        ("0", None),
    ],
)
def test_normalise_msisdn(number: str, expected: str | None) -> None:
    assert normalise_msisdn(number) == expected


def test_numbers_are_masked_in_logs() -> None:
    masked = mask_numbers("link failed for +8613800000001 (8613800000002), update 17")
    assert masked == "link failed for +86138****0001 (86138****0002), update 17"
