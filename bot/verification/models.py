"""SQLAlchemy table of phone verifications (codes are stored hashed)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String

from bot.db import Base


class PhoneVerificationRow(Base):
    __tablename__ = "phone_verifications"
    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    msisdn = Column(String(20), nullable=False)
    code_hash = Column(String(64), nullable=False)
    status = Column(String(16), nullable=False)  # pending | verified | failed | replaced
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    verified_at = Column(DateTime, nullable=True)
    locked_until = Column(DateTime, nullable=True)
