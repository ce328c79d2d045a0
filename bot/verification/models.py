"""SQLAlchemy table of phone verifications (codes are stored hashed)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, text

from bot.state.base import StateBase


class PhoneVerificationRow(StateBase):
    __tablename__ = "phone_verifications"
    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    # The channel of the conversation that verified (a verified number counts there only).
    channel = Column(String(16), nullable=False, server_default=text("'rest'"))
    msisdn = Column(String(20), nullable=False, index=True)
    code_hash = Column(String(64), nullable=False)
    status = Column(String(16), nullable=False)  # pending|verified|failed|replaced|revoked
    attempts = Column(Integer, nullable=False, default=0)  # every guess at this code
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    verified_at = Column(DateTime, nullable=True)
    locked_until = Column(DateTime, nullable=True)


class CodeRequestCounterRow(StateBase):
    """Codes requested per scope (a number, or everything) and window, counted atomically."""

    __tablename__ = "code_request_counters"
    scope = Column(String(32), primary_key=True)
    window_start = Column(DateTime, primary_key=True)
    count = Column(Integer, nullable=False)
