"""Revoking verified numbers: a web-chat customer logs out, a Telegram user links another
number; the conversation's code no longer counts."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.state.tables import PhoneVerificationRow
from bot.verification.rows import REVOKED, VERIFIED, of_conversation


def revoke_verifications(session: Session, conversation_id: str, channel: str) -> int:
    """Forget the numbers a conversation verified on a channel (the caller commits); how many."""
    result = session.execute(
        update(PhoneVerificationRow)
        .where(*of_conversation(conversation_id, channel), PhoneVerificationRow.status == VERIFIED)
        .values(status=REVOKED)
    )
    return int(result.rowcount or 0)
