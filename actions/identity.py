"""Who the customer is: only a channel that verified the sender may say."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot import services
from bot.domain.identity import verified_client, verified_identity
from bot.domain.ids import SMS, TELEGRAM, WEB

# Channels whose metadata carries a verified number (the SMS gateway signs
# every request; the sender's number is the customer's identity there).
SMS_CHANNEL = SMS
# The Telegram bridge sends a number only for a user who shared their own contact.
TELEGRAM_CHANNEL = TELEGRAM
TRUSTED_CHANNELS = frozenset({SMS_CHANNEL, TELEGRAM_CHANNEL})
SESSION_METADATA_SLOT = "session_started_metadata"


def verified_msisdn(tracker: Tracker) -> str | None:
    """The verified number of the customer, or None on channels without identity."""
    message = tracker.latest_message or {}
    return _from_metadata(message.get("metadata"), tracker.get_latest_input_channel())


def session_msisdn(tracker: Tracker) -> str | None:
    """The verified number sent with the message that started the session."""
    metadata = tracker.get_slot(SESSION_METADATA_SLOT) or {}
    channel = metadata.get("channel") if isinstance(metadata, dict) else None
    return _from_metadata(metadata, channel)


def client_address(tracker: Tracker) -> str | None:
    """The network address the latest message came from, if its channel signed it
    (web chat does); None otherwise. Limits per address (cases, codes) key on it."""
    message = tracker.latest_message or {}
    channel = tracker.get_latest_input_channel()
    return verified_client(services.settings().identity_secret, channel, message.get("metadata"))


def input_channel(tracker: Tracker) -> str:
    """The channel of the latest user message (``rest``, web chat, when unknown).

    Conversation ids are scoped by channel (``bot.domain.ids``): whatever is
    remembered for a conversation is keyed by its id and this channel.
    """
    return tracker.get_latest_input_channel() or WEB


def _from_metadata(metadata: Any, channel: str | None) -> str | None:
    if channel not in TRUSTED_CHANNELS:
        return None
    identity = verified_identity(services.settings().identity_secret, metadata)
    if identity is None or identity[0] != channel:
        return None
    return identity[1]
