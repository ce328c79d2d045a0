"""Phone verification by one-time code.

A 6-digit code is sent by SMS; it expires after 5 minutes; after 3 wrong
tries the conversation must wait (cool-down) before asking for a new code.
Codes are stored as HMACs keyed with a server secret, never in clear. A
verified number counts for that conversation only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.channels.sms_outbound import SmsSender
from bot.db import in_session
from bot.verification.models import PhoneVerificationRow

PENDING, VERIFIED, FAILED, REPLACED, REVOKED = (
    "pending", "verified", "failed", "replaced", "revoked",
)  # fmt: skip


class Outcome(str, Enum):
    """What happened to a request or a code."""

    SENT = "sent"
    COOLING_DOWN = "cooling_down"
    VERIFIED = "verified"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"
    NO_CODE = "no_code"


@dataclass(frozen=True)
class Result:
    """An outcome with what the customer should be told."""

    outcome: Outcome
    msisdn: str | None = None
    tries_left: int = 0
    wait_minutes: int = 0


@dataclass(frozen=True)
class Policy:
    """Limits of the scheme."""

    ttl: dt.timedelta = dt.timedelta(minutes=5)
    max_attempts: int = 3
    cooldown: dt.timedelta = dt.timedelta(minutes=15)


class PhoneVerifier:
    """Issues and checks one-time codes; remembers verified conversations."""

    def __init__(
        self,
        engine: Engine,
        sender: SmsSender,
        pepper: str,
        policy: Policy | None = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self._engine = engine
        self._sender = sender
        self._pepper = pepper.encode("utf-8")
        self._policy = policy or Policy()
        self._clock = clock

    def _hash(self, conversation_id: str, msisdn: str, code: str) -> str:
        message = f"{conversation_id}\n{msisdn}\n{code}".encode()
        return hmac.new(self._pepper, message, hashlib.sha256).hexdigest()

    async def start(
        self,
        conversation_id: str,
        msisdn: str,
        compose: Callable[[str], str],
        send: bool = True,
    ) -> Result:
        """Send a new code to ``msisdn`` (``compose`` turns the code into the SMS text).

        With ``send=False`` (a number that is not a customer's) the code is
        recorded but not sent, so the conversation behaves the same either way.
        """
        now = self._clock()
        code = f"{secrets.randbelow(10**6):06d}"

        def work(s: Session) -> Result:
            locked = s.scalars(
                select(PhoneVerificationRow.locked_until).where(
                    PhoneVerificationRow.conversation_id == conversation_id,
                    PhoneVerificationRow.locked_until > now,
                )
            ).first()
            if locked is not None:
                return Result(Outcome.COOLING_DOWN, wait_minutes=_minutes(locked - now))
            s.execute(
                update(PhoneVerificationRow)
                .where(
                    PhoneVerificationRow.conversation_id == conversation_id,
                    PhoneVerificationRow.status == PENDING,
                )
                .values(status=REPLACED)
            )
            s.add(
                PhoneVerificationRow(
                    conversation_id=conversation_id,
                    msisdn=msisdn,
                    code_hash=self._hash(conversation_id, msisdn, code),
                    status=PENDING,
                    attempts=0,
                    created_at=now,
                    expires_at=now + self._policy.ttl,
                )
            )
            s.commit()
            return Result(Outcome.SENT, msisdn=msisdn)

        result = await in_session(self._engine, work)
        if result.outcome == Outcome.SENT and send:
            await self._sender.send(msisdn, compose(code))
        return result

    async def check(self, conversation_id: str, code: str) -> Result:
        """Check a code against the conversation's pending one."""
        now = self._clock()

        def work(s: Session) -> Result:
            row = s.scalars(
                select(PhoneVerificationRow)
                .where(
                    PhoneVerificationRow.conversation_id == conversation_id,
                    PhoneVerificationRow.status == PENDING,
                )
                .order_by(PhoneVerificationRow.id.desc())
            ).first()
            if row is None:
                return Result(Outcome.NO_CODE)
            if row.expires_at <= now:
                row.status = FAILED
                s.commit()
                return Result(Outcome.EXPIRED)
            expected = self._hash(conversation_id, row.msisdn, code.strip())
            if hmac.compare_digest(expected, row.code_hash):
                row.status, row.verified_at = VERIFIED, now
                s.commit()
                return Result(Outcome.VERIFIED, msisdn=row.msisdn)
            row.attempts += 1
            if row.attempts >= self._policy.max_attempts:
                row.status, row.locked_until = FAILED, now + self._policy.cooldown
                s.commit()
                return Result(Outcome.LOCKED, wait_minutes=_minutes(self._policy.cooldown))
            s.commit()
            return Result(Outcome.WRONG, tries_left=self._policy.max_attempts - row.attempts)

        return await in_session(self._engine, work)

    async def verified_number(self, conversation_id: str) -> str | None:
        """The number this conversation has verified, if any (the latest)."""

        def work(s: Session) -> str | None:
            return s.scalars(
                select(PhoneVerificationRow.msisdn)
                .where(
                    PhoneVerificationRow.conversation_id == conversation_id,
                    PhoneVerificationRow.status == VERIFIED,
                )
                .order_by(PhoneVerificationRow.verified_at.desc())
            ).first()

        return await in_session(self._engine, work)


def revoke_verifications(session: Session, conversation_id: str) -> int:
    """Forget the numbers a conversation verified (the caller commits); how many."""
    result = session.execute(
        update(PhoneVerificationRow)
        .where(
            PhoneVerificationRow.conversation_id == conversation_id,
            PhoneVerificationRow.status == VERIFIED,
        )
        .values(status=REVOKED)
    )
    return int(result.rowcount or 0)


def _minutes(delta: dt.timedelta) -> int:
    return max(1, -(-int(delta.total_seconds()) // 60))
