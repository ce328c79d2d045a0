"""Builders of rasa-sdk trackers and helpers to read what an action said."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.domain.identity import identity_metadata

C1 = "+8613800000001"  # Zhang Wei, P58, balance 23.50
C2 = "+8613800000002"  # Li Xiuying, P88, born 1953
C3 = "+8613800000003"  # Wang Fang, P38, owes 12.30, over her data
C4 = "+8613800000004"  # Alex Chen, P128, English profile
C5 = "+8613800000005"  # Liu Yang, P18, balance 2.10, two subscriptions
STRANGER = "+8613900000000"
IDENTITY_SECRET = "unit-identity-secret"  # set in the environment by tests/conftest.py


def signed(msisdn: str, channel: str = "sms") -> dict[str, str]:
    """Metadata as a verifying channel sends it: the number with its signature."""
    return identity_metadata(IDENTITY_SECRET, channel, msisdn)


SLOT_DEFAULTS: dict[str, Any] = {
    "language": None,
    "complaint_category": None,
    "complaint_description": None,
    "complaint_location": None,
    "recommended_plan": None,
    "pending_plan": None,
    "requested_slot": None,
    "session_started_metadata": None,
}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def bot(text: str = "...") -> dict[str, Any]:
    return {"event": "bot", "text": text, "data": {}}


def user(
    text: str = "hi",
    intent: str = "greet",
    channel: str = "sms",
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    parse_data = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [],
        "metadata": metadata or {},
    }
    return {
        "event": "user",
        "text": text,
        "parse_data": parse_data,
        "input_channel": channel,
        "metadata": metadata or {},
    }


def make_tracker(
    msisdn: str | None = C1,
    text: str = "hi",
    intent: str = "greet",
    channel: str = "sms",
    slots: dict[str, Any] | None = None,
    history: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    sender_id: str = "conversation-1",
) -> Tracker:
    """A tracker whose latest event is a user message from ``msisdn`` on ``channel``.

    The SMS channel puts the sender's number in the message metadata; other
    channels send what ``metadata`` says (nothing by default).
    """
    if metadata is None:
        metadata = signed(msisdn) if msisdn and channel == "sms" else {}
    latest = user(text, intent, channel, metadata)
    events = [*(history or []), action("action_listen"), latest]
    return Tracker(
        sender_id=sender_id,
        slots={**SLOT_DEFAULTS, **(slots or {})},
        latest_message=latest["parse_data"],
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str | None]:
    """The names of the responses the action sent, in order."""
    return [message.get("response") for message in dispatcher.messages]


def sent(dispatcher: CollectingDispatcher, response: str) -> dict[str, Any]:
    """The one message sent with ``response``."""
    found = [m for m in dispatcher.messages if m.get("response") == response]
    assert len(found) == 1, f"{response} sent {len(found)} times: {responses(dispatcher)}"
    return found[0]
