"""Account data is not shown on a guess: below a confidence, the bot asks first.

A message the intent classifier only half reads as an account question ("數據科學家人工
幾多" is a salary question, read as data usage at about 0.5) may be about something else.
Below ``CONFIRM_BELOW`` the action that would show the customer's balance, usage, bill,
plan or services asks "did you mean …?" with two buttons: yes sends the intent itself
(answered at once), no sends ``/out_of_scope`` (what the bot can do); a typed yes or no
counts as the button (``bot/rasa_ext/answers/did_you_mean.py``). Codes, buttons and
confident messages are answered straight away.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.domain.account_intents import ASK_FIRST_INTENTS

# Measured on the three held-out sets (docs/nlu.md): at 0.6 about 1 in 40 right
# account answers takes one more tap, and 7 wrong ones (1 out of scope) are asked first.
CONFIRM_BELOW = 0.6


def unsure_of(tracker: Tracker, intent: str) -> bool:
    """The latest message was read as ``intent`` (an account intent), typed, with less
    than ``CONFIRM_BELOW``."""
    if intent not in ASK_FIRST_INTENTS:
        return False
    message = tracker.latest_message or {}
    read = message.get("intent") or {}
    text = str(message.get("text") or "")
    return (
        read.get("name") == intent
        and not text.startswith("/")
        and float(read.get("confidence") or 0.0) < CONFIRM_BELOW
    )


def ask_first(dispatcher: CollectingDispatcher, intent: str) -> None:
    """ "Did you mean …?" with yes (the intent) and no buttons (``domain/``)."""
    dispatcher.utter_message(response=f"utter_did_you_mean_{intent}")


def question_text(tracker: Tracker, intent: str) -> str:
    """The customer's own words: the latest message, or, when that answers "did you mean
    …?" (its yes button, or a typed yes), the message that was asked about (read as
    ``intent``)."""
    users = (e for e in reversed(tracker.events) if e.get("event") == "user")
    latest = next(users, None)
    if latest is None:
        return ""
    text = str(latest.get("text") or "")
    if not text.startswith("/") and _intent_of(latest) != "affirm":
        return text
    before = next(users, None) or {}
    before_text = str(before.get("text") or "")
    asked = _intent_of(before) == intent and not before_text.startswith("/")
    return before_text if asked else ""


def meant_intent(tracker: Tracker, candidates: frozenset[str]) -> str | None:
    """Which of ``candidates`` the customer asked: the latest message's intent, or, when
    that is a typed yes to "did you mean …?", the intent of the message asked about."""
    users = [e for e in reversed(tracker.events) if e.get("event") == "user"][:2]
    intents = [_intent_of(e) for e in users]
    if intents and intents[0] in candidates:
        return intents[0]
    if intents[:1] != ["affirm"] or len(intents) < 2:
        return None
    return intents[1] if intents[1] in candidates else None


def _intent_of(event: dict[str, object]) -> str | None:
    parse_data = event.get("parse_data")
    intent = parse_data.get("intent") if isinstance(parse_data, dict) else None
    return intent.get("name") if isinstance(intent, dict) else None
