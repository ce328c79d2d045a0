"""Whole messages: where one request ends and the next begins, and what the message asks.

A customer writes "查一下余额和流量", "what's my balance, and is there a cheaper plan?",
or "不查余额，我要查流量". The intent classifier reads the whole message and, through
``segments``, each part of it; ``decide`` then says what the message asks:

- two different account questions, in the order asked: the combined intent
  ``check_balance+check_usage`` (Rasa's multi-intent naming; the dialogue answers each
  part in turn, ``bot/rasa_ext/answers/requests.py``);
- a part that rules a request out ("not my balance", "不查余额") is not asked: the other
  part is the request; a negated cancellation alone ("不用取消了") is a no;
- one request wrapped in greetings, thanks, apologies or a long story is that request;
  a message read as a yes or a no stays one.

Anything else keeps the whole message's reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMBINED_SEPARATOR = "+"
# Questions that only read the account: answered one after another, in the order asked.
COMBINABLE_INTENTS = (
    "check_balance",
    "check_usage",
    "check_bill",
    "current_plan",
    "recommend_plan",
    "list_subscriptions",
)
COMBINED_INTENTS = tuple(
    f"{first}{COMBINED_SEPARATOR}{second}"
    for first in COMBINABLE_INTENTS
    for second in COMBINABLE_INTENTS
    if first != second
)
# What may surround a request without being one.
SOCIAL_INTENTS = frozenset({"greet", "thank", "goodbye", "affirm", "express_affection"})
# A message read as a yes or a no answers the question before it ("好的，帮我换"): what
# its parts ask stays second.
ANSWERS = frozenset({"affirm", "deny"})
# Courtesies: a message read as one of these may be wrapped around a request.
COURTESIES = SOCIAL_INTENTS - ANSWERS
# Parts too general to stand for the message ("what do I do", "forget it", "no").
GENERAL_INTENTS = frozenset(
    {"out_of_scope", "stop", "deny", "ask_capabilities", "bot_challenge", "inform_number"}
)
# A part read with less is not counted as a request (as ``actions/unsure.py`` asks
# first below 0.6, a combined answer is never given on a guess either).
PART_CONFIDENCE = 0.6
# One request replaces the whole message's reading when the whole message was read as
# small talk or out of scope, or with less than WHOLE_CONFIDENCE, or, in a message of
# LONG_MESSAGE_PARTS parts or more, with less than the request's part.
WHOLE_CONFIDENCE = 0.5
LONG_MESSAGE_PARTS = 3
# In a message of STORY_PARTS parts or more (a long, courteous one), each of two
# questions needs LONG_PART_CONFIDENCE.
STORY_PARTS = 6
LONG_PART_CONFIDENCE = 0.8
# A request between greetings and thanks needs only this much; "great, thank you" is
# no rating.
WRAPPED_CONFIDENCE = 0.4

# Where one request may end: punctuation, a line break, a space between Chinese words,
# and joining words.
_BOUNDARY = re.compile(
    r"[,，。;；!！?？、&＆+\n]+|(?<=[a-z0-9])\.(?=\s|$)|\s+[-/]\s+"
    r"|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff\d])"
    r"|\b(?:and|also|plus|then|as well as|and also|oh and|besides)\b"
    r"|还有|另外|顺便|以及|然后|同埋|仲有|并且|同时|再(?=帮|查|看|推荐|问|告诉|给|说|列|睇)|和|跟",
    re.IGNORECASE,
)
# Words that rule the request of their part out, whatever it is ("not my balance",
# "不是问话费", "don't cancel it")...
_NOT = re.compile(
    r"^(?:\W|(?:no|nah|oh|well|ok|okay|but|and|so|i)\b)*\s*"
    r"(?:not|instead of|rather than)\b"
    r"|^\W*(?:不是|唔系|唔係|而不是|不查|唔查|别查|不看)",
    re.IGNORECASE,
)
# A negated cancellation: "don't cancel it" is a no (and rules the cancelling out).
_KEEP = re.compile(
    r"^(?:\W|(?:no|nah|oh|well|ok|okay|but|and|so|i|please)\b)*\s*"
    r"(?:don'?t|dont|do not|no need to)\s+(?:want\s+to\s+|need\s+to\s+)?"
    r"(?:cancel|stop|unsubscribe|remove|turn off)\b"
    r"|^\W*(?:不要|别|唔好|不想|唔要|不用|不需要|唔使|无需)(?:帮我)?(?:取消|退订|关掉|关闭|停)",
    re.IGNORECASE,
)
# ... and words that rule a request out unless it cancels something ("I don't need the
# balance" asks nothing; "I don't need caller ID display" cancels it).
_NO_NEED = re.compile(
    r"^(?:\W|(?:no|nah|oh|well|ok|okay|but|and|so|i)\b)*\s*"
    r"(?:don'?t|dont|do not|no need|don'?t need|dont need)\b"
    r"|^\W*(?:不用|不需要|无需|無需|唔使|唔需要|不要|别|唔要)",
    re.IGNORECASE,
)
# Requests to turn something off: "不要来电显示了" asks for them.
CANCELLING_INTENTS = frozenset({"unsubscribe", "notice_opt_out", "stop", "deny"})
NOT_WRAPPED = GENERAL_INTENTS | {"rate_service"}


@dataclass(frozen=True)
class Span:
    """A part of the message: ``text[start:end]``."""

    start: int
    end: int


@dataclass(frozen=True)
class Reading:
    """What a classifier read in a part: its best intent and confidence."""

    intent: str
    confidence: float
    negated: bool = False
    keeps: bool = False  # a negated cancellation: "don't cancel it", "不用取消了"


def combined(first: str, second: str) -> str:
    """The intent of a message asking ``first`` then ``second``."""
    return f"{first}{COMBINED_SEPARATOR}{second}"


def parts(intent: str | None) -> tuple[str, ...]:
    """The single intents of a (possibly combined) intent name."""
    return tuple(intent.split(COMBINED_SEPARATOR)) if intent else ()


def segments(text: str) -> list[Span]:
    """The parts of ``text`` between boundaries, without surrounding blanks; one part
    (the whole text) when it has no boundary."""
    spans: list[Span] = []
    start = 0
    for match in [*_BOUNDARY.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        if piece.strip():
            left = start + len(piece) - len(piece.lstrip())
            spans.append(Span(left, start + len(piece.rstrip())))
        if match:
            start = match.end()
    return spans


def keeps(part: str) -> bool:
    """Whether the part is a negated cancellation ("don't cancel it", "不用取消了")."""
    return _KEEP.search(part.strip()) is not None


def rules_out(part: str, intent: str) -> bool:
    """Whether the part rules its request out ("not my balance", "不查余额", "I don't need
    the bill") rather than asking it ("不要来电显示了" cancels the service)."""
    text = part.strip()
    if _NOT.search(text) or keeps(text):
        return True
    return intent not in CANCELLING_INTENTS and _NO_NEED.search(text) is not None


def decide(whole: Reading, readings: list[Reading]) -> Reading | None:
    """What a message of several parts asks, or None to keep the whole message's reading."""
    if len(readings) < 2:
        return None
    sure = [r for r in readings if r.confidence >= PART_CONFIDENCE]
    requests = [r for r in sure if r.intent not in SOCIAL_INTENTS | GENERAL_INTENTS]
    asked = _distinct([r for r in requests if not r.negated])
    ruled_out = [r for r in requests if r.negated]
    account = [r for r in asked if r.intent in COMBINABLE_INTENTS]
    if len(account) >= 2 and len(account) == len(asked):
        # In a long message, a part that only tells the story ("my grandson set up this
        # phone") may read like a question: two questions there need surer parts.
        needed = LONG_PART_CONFIDENCE if len(readings) >= STORY_PARTS else PART_CONFIDENCE
        strong = [r for r in account if r.confidence >= needed]
        if len(strong) >= 2:
            first, second = strong[0], strong[1]
            confidence = min(first.confidence, second.confidence)
            return Reading(combined(first.intent, second.intent), confidence)
        asked = strong or [max(account, key=lambda r: r.confidence)]
    if not asked and any(r.keeps for r in readings):
        return Reading("deny", whole.confidence)  # "不用取消了，先留着吧": a no
    if whole.intent in ANSWERS:
        return None  # "好的，帮我换" answers the question before it
    if len(asked) != 1:
        return _wrapped(whole, readings) if not asked else None
    request = asked[0]
    if ruled_out:  # "not my balance, my data": the other request
        return request
    if whole.intent in COURTESIES or whole.intent == "out_of_scope":
        return request  # "hi, sorry to bother you, my bill please, thanks"
    long_message = len(readings) >= LONG_MESSAGE_PARTS
    if (long_message or whole.confidence < WHOLE_CONFIDENCE) and (
        request.confidence > whole.confidence
    ):
        return request  # one request in a long, courteous message
    return None


def _wrapped(whole: Reading, readings: list[Reading]) -> Reading | None:
    """The one request between greetings and thanks, read with less confidence than a
    part needs ("哈囉你好，我想查剩餘的額度，謝謝"): only when everything else is social."""
    if whole.intent not in COURTESIES:
        return None
    rest = [r for r in readings if r.intent not in SOCIAL_INTENTS]
    if len(rest) != 1 or rest[0].intent in NOT_WRAPPED or rest[0].negated:
        return None
    return rest[0] if rest[0].confidence >= WRAPPED_CONFIDENCE else None


def _distinct(readings: list[Reading]) -> list[Reading]:
    """The first reading of each intent, in order."""
    seen: dict[str, Reading] = {}
    for reading in readings:
        seen.setdefault(reading.intent, reading)
    return list(seen.values())
