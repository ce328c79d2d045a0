"""Which waiting customers go first: repeat complainants, then angry customers."""

from __future__ import annotations

import re

from bot.handoff.queue import Handoff, HandoffReason

REPEAT_COMPLAINT = "repeat_complaint"
ANGRY = "angry"

_ANGRY = re.compile(
    r"(气死|垃圾|骗子|坑人|太差|无语|滚|投诉你们|什么破|搞什么|!!|！！|"
    r"\b(?:angry|furious|ridiculous|unacceptable|scam|worst|useless|terrible|wtf)\b)",
    re.IGNORECASE,
)


def is_angry(text: str) -> bool:
    """Anger markers in a customer's message (swearing, shouting, "scam", "垃圾")."""
    if _ANGRY.search(text):
        return True
    letters = [ch for ch in text if ch.isalpha() and ch.isascii()]
    return len(letters) >= 8 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def urgency(case: Handoff, customer_texts: list[str]) -> str | None:
    """Why the case should jump the queue, if it should."""
    if case.reason == HandoffReason.COMPLAINT_ESCALATION:
        return REPEAT_COMPLAINT
    if any(is_angry(text) for text in customer_texts):
        return ANGRY
    return None
