"""A satisfaction rating read from the customer's own words: stars, scores and verdicts.

The rating prompt offers three buttons (satisfied, neutral, unsatisfied; 1/2/3 by SMS),
but customers also answer in words: "五颗星", "4 out of 5", "给10分", "一般般",
"terrible experience". A score counts on its scale (out of 5 unless it says otherwise or
is above 5): 80 % and more is satisfied, 50 % and more neutral, less unsatisfied. Words
are matched longest first, so "不满意" and "not happy" are not read as "满意" and
"happy". Traditional text (Hong Kong's "唔滿意" too) is read as Simplified (``bot.domain.script``).
"""

from __future__ import annotations

import re
import unicodedata

from bot.domain.script import to_simplified

SATISFIED, NEUTRAL, UNSATISFIED = "satisfied", "neutral", "unsatisfied"

# fmt: off
_VERDICTS: dict[str, tuple[str, ...]] = {
    UNSATISFIED: (
        "不满意", "不太满意", "不怎么样", "差评", "负评", "很差", "太差", "好差", "真差", "差劲",
        "糟糕", "很糟", "烂", "垃圾", "失望", "没用", "不好", "不行", "坑",
        "唔满意", "唔好", "唔得", "冇用", "麻麻地",
        "unsatisfied", "dissatisfied", "not satisfied", "not happy", "unhappy", "not good",
        "no good", "bad", "terrible", "awful", "poor", "useless", "disappointed",
        "disappointing", "horrible", "worst", "rubbish", "thumbs down", "hated",
    ),
    NEUTRAL: (
        "一般", "还行", "还可以", "还好", "普通", "马马虎虎", "凑合", "中规中矩", "过得去",
        "中评", "不好不坏", "普普通通",
        "麻麻", "一般般",
        "neutral", "average", "ok", "okay", "so-so", "so so", "meh", "fine", "not bad",
        "alright", "mediocre", "could be better",
    ),
    SATISFIED: (
        "满意", "好评", "很好", "不错", "挺好", "好棒", "棒", "赞", "优秀", "完美", "给力",
        "专业", "非常好", "超好", "一流",
        "唔错", "几好", "好好", "正",
        "satisfied", "happy", "great", "excellent", "good", "perfect", "amazing", "helpful",
        "awesome", "fantastic", "brilliant", "thumbs up", "superb", "outstanding",
    ),
}
# Longest first: a phrase that contains a shorter one of another verdict wins.
_PHRASES = sorted(
    ((phrase, rating) for rating, phrases in _VERDICTS.items() for phrase in phrases),
    key=lambda item: -len(item[0]),
)
_CJK_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                "八": 8, "九": 9, "十": 10}
_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10}
# fmt: on
_NUMBER = r"(\d{1,2}(?:\.\d)?|[一二两三四五六七八九十]|" + "|".join(_EN_NUMBERS) + ")"
_OUT_OF = re.compile(_NUMBER + r"\s*(?:/|out of|of)\s*(\d{1,2})(?!\d)")
_UNIT = re.compile(_NUMBER + r"\s*(?:颗|粒|个|顆)?\s*(?:星|分|stars?\b|points?\b)")
_LABELLED = re.compile(r"(?:rate|rating|score|打|给|评)\s*[:：]?\s*" + _NUMBER + r"(?!\d)")


def _number(token: str) -> float:
    return float(_CJK_NUMBERS.get(token) or _EN_NUMBERS.get(token) or token)


def _from_score(text: str) -> str | None:
    out_of = _OUT_OF.search(text)
    if out_of:
        score, scale = _number(out_of.group(1)), float(out_of.group(2))
    else:
        match = _UNIT.search(text) or _LABELLED.search(text)
        if match is None:
            return None
        score = _number(match.group(1))
        scale = 10.0 if score > 5 else 5.0
    if scale <= 0 or score > scale:
        return None
    share = score / scale
    return SATISFIED if share >= 0.8 else NEUTRAL if share >= 0.5 else UNSATISFIED


def _from_words(text: str) -> str | None:
    for phrase, rating in _PHRASES:
        if phrase.isascii():
            if re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text):
                return rating
        elif phrase in text:
            return rating
    return None


def rating_from_text(text: str | None) -> str | None:
    """``SATISFIED``, ``NEUTRAL`` or ``UNSATISFIED`` as the text says it, or None."""
    if not text:
        return None
    normalized = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    return _from_score(normalized) or _from_words(normalized)
