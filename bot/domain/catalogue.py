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

from bot.domain.fuzzy import named_in
from bot.domain.script import to_simplified

# Everyday names of value-added services, by service code (longest first per code).
SERVICE_WORDS: dict[str, tuple[str, ...]] = {
    "VRBT": (
        "视频彩铃",
        "彩铃",
        "来电铃声",
        "来电答铃",
        "答铃",
        "铃声",
        "video ringback",
        "ringback",
        "ring back",
        "ringtone",
        "ring tone",
        "caller tune",
    ),
    "NEWS": ("手机报", "新闻报", "新闻", "mobile news", "news digest", "news"),
    # Services named like the assistant's own notices: a "提醒" or "display" here is the
    # service, never the balance / data / bill notices (bot/domain/notice_words.py).
    "MCR": (
        "来电提醒",
        "漏话提醒",
        "未接来电提醒",
        "来电提示",
        "漏接提醒",
        "来电通知",
        "caller reminder",
        "missed call alert",
        "missed call reminder",
        "missed-call alert",
        "missed call notification",
        "call reminder",
    ),
    "CLIP": (
        "来电显示",
        "来显",
        "号码显示",
        "caller id display",
        "caller id",
        "caller display",
        "number display",
        "clip",
    ),
}
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_CN_NUMBERS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_MONTH_ZH = re.compile(
    r"(?<![0-9])(1[0-2]|0?[1-9])\s*月(?!份?[0-9])|(十[一二]?|[一二三四五六七八九])月"
)
# "may" is a month only where a month fits ("in May", "May's bill", "the May bill").
_MAY = re.compile(r"\b(?:in|for|of|from|during|since|the)\s+may\b|\bmay(?:'s|\s+bill)")
_LAST = ("上个月", "上月", "last month", "previous month")
_THIS = ("这个月", "本月", "当月", "this month", "current month")


def services_named(text: str) -> set[str]:
    """The service codes whose everyday names the text uses: exactly, else by sound or
    with a slip of typing (``bot.domain.fuzzy``)."""
    lowered = to_simplified(text).lower()
    exact = {
        code for code, words in SERVICE_WORDS.items() if any(has_word(lowered, w) for w in words)
    }
    if exact:
        return exact
    return {
        code for code, words in SERVICE_WORDS.items() if any(named_in(w, lowered) for w in words)
    }


# A reminder or display named as something paid for: "短信提醒业务", "SMS reminder add-on".
_SERVICE_TALK = re.compile(
    r"(?:提醒|提示|显示|通知|reminder|alert|display)\S{0,3}\s*"
    r"(?:业务|服务|功能|增值|套餐|service|add-on|addon|subscription|package)"
    r"|(?:业务|服务|增值业务)\S{0,2}(?:提醒|显示)",
    re.IGNORECASE,
)


def talks_of_a_service(text: str) -> bool:
    """Whether the text names a value-added service: a known one, or a reminder or display
    spoken of as a paid service (never the assistant's own notices)."""
    return bool(services_named(text)) or _SERVICE_TALK.search(to_simplified(text)) is not None


def month_named(text: str, today: dt.date) -> str | None:
    """The month the text names, as ``YYYY-MM`` (the latest such month up to this one)."""
    lowered = to_simplified(text).lower()
    if any(has_word(lowered, word) for word in _LAST):
        first = today.replace(day=1) - dt.timedelta(days=1)
        return f"{first.year:04d}-{first.month:02d}"
    if any(has_word(lowered, word) for word in _THIS):
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
        if has_word(lowered, name) or re.search(rf"(?<![a-z]){name[:3]}(?![a-z])", lowered):
            return index
    return None


def has_word(text: str, word: str) -> bool:
    """Chinese words anywhere; English ones as whole words (a plural ``s`` allowed)."""
    if not word.isascii():
        return word in text
    return re.search(rf"(?<![a-z]){re.escape(word)}s?(?![a-z])", text) is not None
