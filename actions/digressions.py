"""Digressions: a question answered in the middle of a form or a confirmation.

A form (complaint, phone verification) leaves an informational message to the
digression policy (``bot/rasa_ext/answers/digressions.py`` answers it, then runs the
form again, which asks its pending question). A pending confirmation is asked
again by the confirmation family (``actions/confirmation.py``), from the proposal on the
server, so that a "yes" is only ever taken straight after the question itself. Which
questions may be asked where is declared once, in ``bot/domain/digressions.py``.
"""

from __future__ import annotations

from bot.domain.digressions import INFORMATIONAL_INTENTS
from bot.domain.requests import parts

# What a form's slot extraction leaves to the rules: leaving, a person, or a digression.
LEAVE_FORM_INTENTS = frozenset({"stop", "human_handoff"}) | INFORMATIONAL_INTENTS
# A free-text answer (a complaint's description) is taken as a question asked in passing
# only when the classifier is this sure ("charged twice!" describes a problem; "YE" and
# "how much is my bill?" are questions); leaving and a person always leave.
DIGRESSION_CONFIDENCE = 0.8


def informational(name: object) -> bool:
    """A question answered in passing: an informational intent, or several in one message
    (``check_balance+check_usage``)."""
    asked = parts(name) if isinstance(name, str) else ()
    return bool(asked) and all(part in INFORMATIONAL_INTENTS for part in asked)


def leaves_form(name: object) -> bool:
    """What a form's slot extraction leaves to the rules: leaving, a person, or a question
    in passing (one or several)."""
    return name in LEAVE_FORM_INTENTS or informational(name)


def _sure(intent: dict[str, object] | None) -> bool:
    confidence = (intent or {}).get("confidence")
    return isinstance(confidence, (int, float)) and confidence >= DIGRESSION_CONFIDENCE


def leaves_free_text(intent: dict[str, object] | None) -> bool:
    """Whether a message answering a free-text question leaves it to the rules instead."""
    name = (intent or {}).get("name")
    if name in ("stop", "human_handoff"):
        return True
    return informational(name) and _sure(intent)


def leaves_place(intent: dict[str, object] | None) -> bool:
    """Whether an answer to "where?" leaves it: leaving, a person, or any question in
    passing (a place is never read as one)."""
    name = (intent or {}).get("name")
    return name in ("stop", "human_handoff") or informational(name)


# Short answers that answer no free-text question: "yes" to "where?", "thanks".
SHORT_ANSWERS = frozenset(
    {
        "affirm",
        "deny",
        "greet",
        "thank",
        "goodbye",
        "rate_service",
        "express_affection",
        "bot_challenge",
        "choose_data_pack",
    }
)


def misfits(intent: dict[str, object] | None, fits: frozenset[str]) -> bool:
    """Whether a message does not answer a free-text question: a short answer, or another
    request read with confidence (answered in passing ones are left to the rules first)."""
    name = (intent or {}).get("name")
    if not isinstance(name, str) or name in fits or informational(name):
        return False
    return name in SHORT_ANSWERS or _sure(intent)
