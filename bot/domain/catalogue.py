"""The words customers use for the operator's value-added services and for months.

Plans are named by the billing catalogue itself (code, names, fee: see
``actions/plan_matching.py``); value-added services have everyday names the catalogue
does not carry ("彩铃" for the video ringback tone, "ringtone", "手机报"), kept here by
service code; months are named absolutely ("10月", "October") or relatively ("上个月",
"last month"). Text is read in Simplified (``bot.domain.script``).
"""

from __future__ import annotations

import datetime as dt
import re

from bot.domain.script import to_simplified

# Everyday names of value-added services, by service code (longest first per code).
SERVICE_WORDS: dict[str, tuple[str, ...]] = {
    "VRBT": (
        "视频彩铃", "彩铃", "来电铃声", "来电答铃", "答铃", "铃声",
        "video ringback", "ringback", "ring back", "ringtone", "ring tone", "caller tune",
    ),
    "NEWS": ("手机报", "新闻报", "新闻", "mobile news", "news digest", "news"),
}  # fmt: skip
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
               "十": 10, "十一": 11, "十二": 12}  # fmt: skip
_MONTH_ZH = re.compile(
    r"(?<![0-9])(1[0-2]|0?[1-9])\s*月(?!份?[0-9])|(十[一二]?|[一二三四五六七八九])月"
)
# "may" is a month only where a month fits ("in May", "May's bill", "the May bill").
_MAY = re.compile(r"\b(?:in|for|of|from|during|since|the)\s+may\b|\bmay(?:'s|\s+bill)")
_LAST = ("上个月", "上月", "last month", "previous month")
_THIS = ("这个月", "本月", "当月", "this month", "current month")


def services_named(text: str) -> set[str]:
    """The service codes whose everyday names the text uses."""
    lowered = to_simplified(text).lower()
    return {code for code, words in SERVICE_WORDS.items() if any(_has(lowered, w) for w in words)}


def month_named(text: str, today: dt.date) -> str | None:
    """The month the text names, as ``YYYY-MM`` (the latest such month up to this one)."""
    lowered = to_simplified(text).lower()
    if any(_has(lowered, word) for word in _LAST):
        first = today.replace(day=1) - dt.timedelta(days=1)
        return f"{first.year:04d}-{first.month:02d}"
    if any(_has(lowered, word) for word in _THIS):
        return f"{today.year:04d}-{today.month:02d}"
    number = _month_number(lowered)
    if number is None:
        return None
    year = today.year if number <= today.month else today.year - 1
    return f"{year:04d}-{number:02d}"


def _month_number(lowered: str) -> int | None:
    found = _MONTH_ZH.search(lowered)
    if found:
        return int(found.group(1)) if found.group(1) else _CN_NUMBERS[found.group(2)]
    for index, name in enumerate(_MONTH_NAMES, start=1):
        if name == "may":
            if _MAY.search(lowered):
                return index
            continue
        if _has(lowered, name) or re.search(rf"(?<![a-z]){name[:3]}(?![a-z])", lowered):
            return index
    return None


def _has(text: str, word: str) -> bool:
    """Chinese words anywhere; English ones as whole words (a plural ``s`` allowed)."""
    if not word.isascii():
        return word in text
    return re.search(rf"(?<![a-z]){re.escape(word)}s?(?![a-z])", text) is not None
