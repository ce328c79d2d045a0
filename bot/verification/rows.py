"""The ``phone_verifications`` rows: their statuses and the rows of one conversation."""

from __future__ import annotations

from typing import Any

from bot.state.tables import PhoneVerificationRow

PENDING = "pending"
VERIFIED = "verified"
FAILED = "failed"
REPLACED = "replaced"
REVOKED = "revoked"


def of_conversation(conversation_id: str, channel: str) -> tuple[Any, ...]:
    """The rows of one conversation on one channel (ids are scoped by channel)."""
    return (
        PhoneVerificationRow.conversation_id == conversation_id,
        PhoneVerificationRow.channel == channel,
    )
