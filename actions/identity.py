"""Who the customer is: only a channel that verifies the sender may say."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

# Channels whose metadata carries a verified number (the SMS gateway signs
# every request; the sender's number is the customer's identity there).
TRUSTED_CHANNELS = frozenset({"sms"})
SESSION_METADATA_SLOT = "session_started_metadata"


def verified_msisdn(tracker: Tracker) -> str | None:
    """The verified number of the customer, or None on channels without identity."""
    message = tracker.latest_message or {}
    return _from_metadata(message.get("metadata"), tracker.get_latest_input_channel())


def session_msisdn(tracker: Tracker) -> str | None:
    """The number sent with the message that started the session.

    Only used to choose the profile language before the first reply; account
    data is always looked up with ``verified_msisdn``.
    """
    metadata = tracker.get_slot(SESSION_METADATA_SLOT) or {}
    return _from_metadata(metadata, metadata.get("channel"))


def input_channel(tracker: Tracker) -> str:
    """The channel of the latest user message (``rest`` when unknown)."""
    return tracker.get_latest_input_channel() or "rest"


def _from_metadata(metadata: Any, channel: str | None) -> str | None:
    if channel not in TRUSTED_CHANNELS or not isinstance(metadata, dict):
        return None
    msisdn = metadata.get("msisdn")
    return msisdn if isinstance(msisdn, str) and msisdn else None
