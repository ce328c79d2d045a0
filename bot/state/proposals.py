"""Proposals recorded on the server: what a customer is asked to confirm.

A state-changing journey (plan change, unsubscribe) first records what it offers,
bound to the conversation, its channel and the customer's number; the slot holds
only the proposal's id. Confirming redeems the proposal once, within its time to
live, from the same conversation and number: a forged or replayed tracker cannot
place an order that the customer was never offered. Each proposal keeps its quote
(price, allowance, date: ``bot.domain.quotes``) so that confirming can check it.

Redeeming is one conditional update (``used_at IS NULL``): of two confirmations at
once, on SQLite or PostgreSQL, the database lets exactly one through.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.domain.quotes import Quote
from bot.state.tables import ProposalRow
from bot.storage.clock import utc_now
from bot.storage.db import in_session

DEFAULT_TTL = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Proposal:
    """What the customer was offered, and where."""

    id: str
    conversation_id: str
    channel: str
    msisdn: str
    kind: str
    subject: str
    quote: Quote | None = None  # None: recorded before quotes were kept


class ProposalStore:
    """Records proposals and redeems each at most once."""

    def __init__(
        self,
        engine: Engine,
        ttl: dt.timedelta = DEFAULT_TTL,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self._engine = engine
        self._ttl = ttl
        self._clock = clock

    async def propose(
        self,
        conversation_id: str,
        channel: str,
        msisdn: str,
        kind: str,
        subject: str,
        quote: Quote,
    ) -> Proposal:
        """Record an offer and what was quoted; its id goes in a slot."""
        proposal = Proposal(
            secrets.token_urlsafe(16), conversation_id, channel, msisdn, kind, subject, quote
        )
        now = self._clock()
        row = ProposalRow(
            id=proposal.id,
            conversation_id=conversation_id,
            channel=channel,
            msisdn=msisdn,
            kind=kind,
            subject=subject,
            quote=quote.dumps(),
            created_at=now,
            expires_at=now + self._ttl,
            used_at=None,
        )

        def work(s: Session) -> None:
            s.add(row)
            s.commit()

        await in_session(self._engine, work)
        return proposal

    async def pending(
        self, proposal_id: str, conversation_id: str, channel: str, kind: str
    ) -> Proposal | None:
        """The unredeemed, unexpired proposal of this conversation and channel, or None."""
        now = self._clock()

        def work(s: Session) -> Proposal | None:
            row = s.scalars(
                select(ProposalRow).where(
                    ProposalRow.id == proposal_id,
                    ProposalRow.conversation_id == conversation_id,
                    ProposalRow.channel == channel,
                    ProposalRow.kind == kind,
                    ProposalRow.used_at.is_(None),
                    ProposalRow.expires_at > now,
                )
            ).first()
            if row is None:
                return None
            return Proposal(
                row.id,
                row.conversation_id,
                row.channel,
                row.msisdn,
                row.kind,
                row.subject,
                Quote.loads(row.quote),
            )

        return await in_session(self._engine, work)

    async def redeem(
        self, proposal_id: str, conversation_id: str, channel: str, kind: str, msisdn: str
    ) -> Proposal | None:
        """Mark the proposal used and return it; None if it is not this customer's to
        confirm here (unknown, expired, already used, another conversation or number)."""
        found = await self.pending(proposal_id, conversation_id, channel, kind)
        if found is None or found.msisdn != msisdn:
            return None
        now = self._clock()

        def work(s: Session) -> bool:
            result = s.execute(
                update(ProposalRow)
                .where(ProposalRow.id == proposal_id, ProposalRow.used_at.is_(None))
                .values(used_at=now)
            )
            s.commit()
            return bool(result.rowcount)

        return found if await in_session(self._engine, work) else None

    async def withdraw(self, proposal_id: str) -> None:
        """Make an unredeemed proposal unusable (it was quoted again under a new id)."""
        now = self._clock()

        def work(s: Session) -> None:
            s.execute(
                update(ProposalRow)
                .where(ProposalRow.id == proposal_id, ProposalRow.used_at.is_(None))
                .values(used_at=now)
            )
            s.commit()

        await in_session(self._engine, work)
