"""Phone verification by one-time code.

A 6-digit code is sent by SMS; codes are stored as HMACs keyed with a server
secret, never in clear. A verified number counts only for the conversation that
verified it, on the channel it verified on (conversation id *and* channel).

Limits (``Policy``; the defaults):

- a code expires after 5 minutes (``ttl``);
- 3 guesses per code (``max_attempts``); every guess is counted atomically
  (``attempts = attempts + 1`` then read, in one transaction), and only a guess
  whose count is within the limit is compared with the code; after the last
  wrong one the conversation waits 15 minutes (``cooldown``) for a new code;
- 5 codes per conversation (``codes_per_conversation``) and 5 per client address
  (``codes_per_client``, where the channel signed one) per hour, checked first, so
  one requester cannot use up the overall budget; then 3 codes per number
  (``codes_per_number``), whatever the conversation, and 100 codes overall
  (``codes_overall``); ``window`` is the hour. All are counted in
  ``code_request_counters`` (``bot.verification.limits``), incremented then read in
  the transaction that records the code, so parallel requests cannot both slip
  under a limit. A refused request leaves no count and sends nothing.

A number that is not a customer's (``send=False``) is counted, limited and
answered exactly like a customer's: the answers say nothing about the number, and
the SMS goes out off the answer path (``bot.verification.dispatch``), so neither
does the time the answer takes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.channels.sms.outbound import SmsSender
from bot.state.tables import CodeRequestCounterRow, PhoneVerificationRow
from bot.storage.db import in_session
from bot.verification.dispatch import BackgroundSends
from bot.verification.limits import count_request, request_scopes
from bot.verification.rows import FAILED, PENDING, REPLACED, VERIFIED, of_conversation

_EPOCH = dt.datetime(2000, 1, 1)


class Outcome(str, Enum):
    """What happened to a request or a code."""

    SENT = "sent"
    COOLING_DOWN = "cooling_down"
    RATE_LIMITED = "rate_limited"
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
    """Limits of the scheme (defaults in the module docstring)."""

    ttl: dt.timedelta = dt.timedelta(minutes=5)
    idle: dt.timedelta = dt.timedelta(minutes=30)  # a verification lapses unused this long
    max_attempts: int = 3
    cooldown: dt.timedelta = dt.timedelta(minutes=15)
    codes_per_number: int = 3
    codes_overall: int = 100
    window: dt.timedelta = dt.timedelta(hours=1)
    codes_per_client: int = 5
    codes_per_conversation: int = 5


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
        self.sends = BackgroundSends(sender)
        self._pepper = pepper.encode("utf-8")
        self._policy = policy or Policy()
        self._clock = clock

    def _hash(self, conversation_id: str, channel: str, msisdn: str, code: str) -> str:
        message = f"{channel}\n{conversation_id}\n{msisdn}\n{code}".encode()
        return hmac.new(self._pepper, message, hashlib.sha256).hexdigest()

    async def start(
        self,
        conversation_id: str,
        channel: str,
        msisdn: str,
        compose: Callable[[str], str],
        send: bool = True,
        client: str | None = None,
    ) -> Result:
        """Send a new code to ``msisdn`` (``compose`` turns the code into the SMS text).

        With ``send=False`` (a number that is not a customer's) the code is
        recorded and counted but not sent, so the conversation behaves the same.
        ``client`` is the requester's address, where its channel signed one.
        The send itself finishes after the answer (``sends.drain`` waits for it).
        """
        now = self._clock()
        code = f"{secrets.randbelow(10**6):06d}"
        policy = self._policy
        window = now - (now - _EPOCH) % policy.window
        # Narrowest first, overall last: every request locks the counters in that order.
        limits = request_scopes(
            (channel, conversation_id),
            client,
            msisdn,
            (
                policy.codes_per_conversation,
                policy.codes_per_client,
                policy.codes_per_number,
                policy.codes_overall,
            ),
        )

        def work(s: Session) -> Result:
            locked = s.scalars(
                select(PhoneVerificationRow.locked_until).where(
                    *of_conversation(conversation_id, channel),
                    PhoneVerificationRow.locked_until > now,
                )
            ).first()
            if locked is not None:
                return Result(Outcome.COOLING_DOWN, wait_minutes=_minutes(locked - now))
            for scope, limit in limits:
                if count_request(s, scope, window) > limit:
                    s.rollback()  # a refused request leaves no count behind
                    wait = window + policy.window - now
                    return Result(Outcome.RATE_LIMITED, wait_minutes=_minutes(wait))
            s.execute(
                delete(CodeRequestCounterRow).where(CodeRequestCounterRow.window_start < window)
            )
            s.execute(
                update(PhoneVerificationRow)
                .where(
                    *of_conversation(conversation_id, channel),
                    PhoneVerificationRow.status == PENDING,
                )
                .values(status=REPLACED)
            )
            s.add(
                PhoneVerificationRow(
                    conversation_id=conversation_id,
                    channel=channel,
                    msisdn=msisdn,
                    code_hash=self._hash(conversation_id, channel, msisdn, code),
                    status=PENDING,
                    attempts=0,
                    created_at=now,
                    expires_at=now + policy.ttl,
                )
            )
            s.commit()
            return Result(Outcome.SENT, msisdn=msisdn)

        result = await in_session(self._engine, work)
        if result.outcome == Outcome.SENT and send:
            await self.sends.start(msisdn, compose(code), secret=code)
        else:
            await self.sends.pass_turn()
        return result

    async def check(self, conversation_id: str, channel: str, code: str) -> Result:
        """Check a code against the conversation's latest one.

        Every guess at that code is counted, even once it is spent; only a guess
        counted within ``max_attempts`` while the code is pending is compared.
        """
        now = self._clock()

        def work(s: Session) -> Result:
            latest = s.execute(
                select(PhoneVerificationRow.id, PhoneVerificationRow.status)
                .where(*of_conversation(conversation_id, channel))
                .order_by(PhoneVerificationRow.id.desc())
                .limit(1)
            ).first()
            if latest is None or latest.status not in (PENDING, FAILED):
                return Result(Outcome.NO_CODE)
            this = PhoneVerificationRow.id == latest.id
            counted = s.execute(
                update(PhoneVerificationRow)
                .where(this, PhoneVerificationRow.status.in_((PENDING, FAILED)))
                .values(attempts=PhoneVerificationRow.attempts + 1)
            )
            if not counted.rowcount:  # verified or replaced meanwhile
                s.rollback()
                return Result(Outcome.NO_CODE)
            row = s.execute(select(PhoneVerificationRow).where(this)).scalar_one()
            result = self._judge(s, row, code.strip(), now)
            s.commit()
            return result

        return await in_session(self._engine, work)

    def _judge(self, s: Session, row: PhoneVerificationRow, code: str, now: dt.datetime) -> Result:
        """The outcome of a guess already counted in ``row.attempts`` (the caller commits)."""
        max_attempts = self._policy.max_attempts
        if row.status != PENDING:
            return Result(Outcome.NO_CODE)
        still_pending = (PhoneVerificationRow.id == row.id, PhoneVerificationRow.status == PENDING)
        if row.expires_at <= now:
            s.execute(update(PhoneVerificationRow).where(*still_pending).values(status=FAILED))
            return Result(Outcome.EXPIRED)
        if row.attempts <= max_attempts:
            expected = self._hash(row.conversation_id, row.channel, row.msisdn, code)
            if hmac.compare_digest(expected, row.code_hash):
                verified = s.execute(
                    update(PhoneVerificationRow)
                    .where(*still_pending)
                    .values(status=VERIFIED, verified_at=now, expires_at=now + self._policy.idle)
                )
                if verified.rowcount == 1:
                    return Result(Outcome.VERIFIED, msisdn=row.msisdn)
                return Result(Outcome.NO_CODE)
            if row.attempts < max_attempts:
                return Result(Outcome.WRONG, tries_left=max_attempts - row.attempts)
        s.execute(
            update(PhoneVerificationRow)
            .where(*still_pending)
            .values(status=FAILED, locked_until=now + self._policy.cooldown)
        )
        return Result(Outcome.LOCKED, wait_minutes=_minutes(self._policy.cooldown))

    async def verified_number(self, conversation_id: str, channel: str) -> str | None:
        """The number this conversation verified on this channel, if any (the latest).

        A verification counts while the conversation uses it: it lapses ``idle`` after
        the code was accepted or the number last asked for (a verified row's
        ``expires_at`` is when it lapses; each use moves it on).
        """
        now = self._clock()

        def work(s: Session) -> str | None:
            row = s.execute(
                select(PhoneVerificationRow.id, PhoneVerificationRow.msisdn)
                .where(
                    *of_conversation(conversation_id, channel),
                    PhoneVerificationRow.status == VERIFIED,
                    PhoneVerificationRow.expires_at > now,
                )
                .order_by(PhoneVerificationRow.verified_at.desc())
            ).first()
            if row is None:
                return None
            s.execute(
                update(PhoneVerificationRow)
                .where(PhoneVerificationRow.id == row.id)
                .values(expires_at=now + self._policy.idle)
            )
            s.commit()
            return str(row.msisdn)

        return await in_session(self._engine, work)


def _minutes(delta: dt.timedelta) -> int:
    return max(1, -(-int(delta.total_seconds()) // 60))
