"""SQLAlchemy table of handoff records."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text

from bot.state.base import StateBase


class HandoffRow(StateBase):
    __tablename__ = "handoffs"
    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    msisdn = Column(String(20), nullable=True, index=True)
    channel = Column(String(32), nullable=False)
    language = Column(String(2), nullable=False)
    reason = Column(String(32), nullable=False)
    detail = Column(Text, nullable=True)
    status = Column(String(16), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False)
    claimed_by = Column(String(64), nullable=True)
    claimed_at = Column(DateTime, nullable=True)
    resolved_at = Column(DateTime, nullable=True)
    resolution_note = Column(Text, nullable=True)
    wait_notice_at = Column(DateTime, nullable=True)
    callback_requested = Column(Boolean, nullable=False, default=False)
