"""What a complaint's first message already says: the problem, and where it happens.

"家里天河区这边一个星期都没信号了" states the problem and the place; "我要投诉" states
neither. The complaint form takes what is said (``actions/complaint_form.py``) and asks only
for what is missing.
"""

from __future__ import annotations

import re

from bot.domain.script import to_simplified

# Asking to complain, greeting and filler: what is left after them is the problem.
_REQUEST_WORDS = re.compile(
    r"我(?:要|想|想要)?(?:投诉|反映|反馈)(?:一下)?|投诉(?:一下)?|(?:你好|您好|请问|麻烦|谢谢)"
    r"|\b(?:i\s+(?:want|would like|'d like|wanna|need)\s+to\s+(?:file|make|lodge|raise)?\s*"
    r"(?:a\s+)?(?:complain|complaint)|i\s+(?:want|have)\s+(?:a\s+)?complaint|complain(?:t)?"
    r"|file|lodge|about|hi|hello|please|thanks?|my|the|a|an|i|to|with|your|of|for|want)\b",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
MIN_CHINESE = 5  # characters left that describe something
MIN_ENGLISH = 3  # words left

# Places: a named area, street or building, home or work.
_PLACE_ZH = re.compile(
    r"(?:在|喺|住)?([\u4e00-\u9fffA-Za-z0-9]{0,8}?"
    r"(?:省|市|区|县|镇|乡|村|路|街|道|巷|小区|花园|公寓|大厦|大楼|广场|商场|中心|地铁站|"
    r"车站|机场|学校|医院|公司|宿舍|办公室|家里|家附近|老家|屋企|屋邨|家))"
)
_PLACE_EN = re.compile(
    r"\b(?:at|in|near|around|inside)\s+((?:my\s+|the\s+|our\s+)?[a-z0-9' ]{2,40}?)"
    r"(?=\s+(?:since|for|from|today|yesterday|this|last|all|every|when|and|but|whenever|"
    r"it|its|it's|there|the\s+whole)\b|[,.;!?]|$)",
    re.IGNORECASE,
)
_NOT_PLACES = re.compile(
    r"^(?:the\s+)?(?:last|past|morning|evening|afternoon|night|week|month|day|a\s+while|"
    r"my\s+bill|the\s+bill|general|total|time|advance|a\s+row|years?)\b",
    re.IGNORECASE,
)
_NOT_PLACES_ZH = ("这个月", "上个月", "本月")


def describes_problem(text: str) -> bool:
    """Whether the message says what is wrong, beyond asking to complain."""
    rest = _REQUEST_WORDS.sub(" ", to_simplified(text))
    if _CJK.search(text):
        return len(_CJK.findall(rest)) >= MIN_CHINESE
    return len(_LATIN_WORD.findall(rest)) >= MIN_ENGLISH


def location_in(text: str) -> str | None:
    """The place the message names, as written ("天河区", "home in Tianhe"), if any."""
    simplified = to_simplified(text)
    if _CJK.search(simplified):
        places = [
            m
            for m in _PLACE_ZH.finditer(simplified)
            if len(m.group(1)) >= 2 and not any(w in m.group(1) for w in _NOT_PLACES_ZH)
        ]
        if not places:
            return None
        first, last = places[0], places[-1]  # "家里天河区": the whole run of places
        end = last.end(1) if last.start() - first.end(1) <= 1 else first.end(1)
        return text[first.start(1) : end]
    for match in _PLACE_EN.finditer(text):
        place = match.group(1).strip()
        if place and not _NOT_PLACES.match(place):
            return place
    return None
