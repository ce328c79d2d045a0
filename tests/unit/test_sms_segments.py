"""Segment counts checked against hand-computed examples in both encodings."""

from __future__ import annotations

import pytest

from bot.channels.sms.segments import GSM7, UCS2, encoding_of, segment


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Your balance is 23.50 yuan.", GSM7),
        ("Price: 5€ {extra} [x] ~ | ^ \\", GSM7),  # extension table
        ("Ça coûte 5 £ à Genève", UCS2),  # ç lowercase and û are not GSM-7
        ("余额23.50元", UCS2),
        ("ok 👍", UCS2),
        ("é è ù ì ò Ç Ø ø Å å Ä Ö Ñ Ü § ¿ ä ö ñ ü à Δ Φ", GSM7),
    ],
)
def test_encoding(text: str, encoding: str) -> None:
    assert encoding_of(text) == encoding


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)],
)
def test_gsm7_counts(length: int, segments: int) -> None:
    # 160 alone; 153 per part once concatenated: ceil(length / 153).
    assert segment("a" * length).count == segments


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)],
)
def test_ucs2_counts(length: int, segments: int) -> None:
    # 70 alone; 67 per part once concatenated.
    assert segment("话" * length).count == segments


def test_extension_characters_take_two_septets() -> None:
    assert segment("{" * 80).count == 1  # 160 septets
    assert segment("{" * 81).count == 2  # 162 septets: 76 + 5 characters
    assert [len(p) for p in segment("{" * 81).parts] == [76, 5]


def test_an_escape_pair_is_not_split_across_parts() -> None:
    text = "a" * 152 + "{" + "b" * 10  # the "{" would straddle septets 153 and 154
    parts = segment(text).parts
    assert parts[0] == "a" * 152 and parts[1].startswith("{")


def test_surrogate_pairs_count_two_units_and_stay_whole() -> None:
    assert segment("😀" * 35).count == 1  # 70 UTF-16 units
    assert segment("😀" * 36).count == 2
    parts = segment("中" * 66 + "😀" + "中" * 5).parts  # 73 units: two parts
    assert parts[0] == "中" * 66 and parts[1].startswith("😀")


def test_one_chinese_character_makes_the_whole_text_ucs2() -> None:
    english = "Your balance is 23.50 yuan, please top up soon. " * 3  # 147 GSM-7 characters
    assert segment(english).count == 1
    assert segment(english + "谢").count == 3  # 148 UCS-2 units: 67 + 67 + 14
