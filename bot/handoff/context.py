"""The customer's context on the case page: bills, notices, open proposals, earlier cases
with their ratings, and open tickets.

Reading it costs the same for every customer: one database session with three bounded
queries (notices, proposals, earlier cases joined to their ratings) and two billing calls
(the last months' usage with totals, the open tickets). Only the case page reads it; the
queue and the live updates do not. A case without a number (an unverified web chat) has
only its conversation's earlier cases; the rest needs a verified number.

Every moment here is naive UTC, as the stores keep it; notices are the exception in
storage (the scheduler stamps naive time of the operator's zone, ``bot.notices.store``)
and are converted on the way out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.port import BillingError, BillingService
from bot.domain.quotes import Quote
from bot.handoff.desk import TicketLine
from bot.handoff.queue import Handoff
from bot.state.tables import HandoffRow, NoticeRow, ProposalRow, RatingRow
from bot.storage.clock import utc_now
from bot.storage.db import in_session

BILL_MONTHS = 3
LIMIT = 5  # notices, proposals and earlier cases shown at most (newest first)


@dataclass(frozen=True)
class BillLine:
    """One completed month: its total charge (yuan)."""

    month: str  # YYYY-MM
    total: Decimal


@dataclass(frozen=True)
class NoticeLine:
    """A proactive notice to the customer."""

    kind: str  # balance | data | bill | offer (bot.domain.notice_kinds)
    event: str  # low_balance, data_warn, ...
    at: dt.datetime  # sent (or claimed, while not yet sent), naive UTC
    status: str  # claimed | sent


@dataclass(frozen=True)
class ProposalLine:
    """Something the customer was offered and has not confirmed yet."""

    kind: str  # plan_change | unsubscribe | data_pack
    subject: str  # the plan, service or pack code
    price: Decimal | None  # the quoted fee or price; None before quotes were kept
    allowance: str
    expires_at: dt.datetime  # naive UTC


@dataclass(frozen=True)
class EarlierCase:
    """A previous case of the same customer, and how they rated it."""

    case_id: int
    created_at: dt.datetime  # naive UTC
    reason: str
    status: str
    rating: str | None  # satisfied | neutral | unsatisfied | None (not rated)


@dataclass(frozen=True)
class CaseContext:
    """What the desk knows about the customer beyond this conversation."""

    msisdn: str | None
    bills: list[BillLine] = field(default_factory=list)
    notices: list[NoticeLine] = field(default_factory=list)
    proposals: list[ProposalLine] = field(default_factory=list)
    earlier_cases: list[EarlierCase] = field(default_factory=list)
    tickets: list[TicketLine] = field(default_factory=list)
    billing_answered: bool = True  # False: billing could not say (bills, tickets unknown)

    @property
    def needs_number(self) -> bool:
        """Whether the rest of the context waits for a verified number."""
        return self.msisdn is None


class CaseContextSource(Protocol):
    """Where the case page gets the context (``CaseContextReader``, or a fake)."""

    async def read(self, case: Handoff) -> CaseContext:
        """The context of ``case``'s customer."""


@dataclass(frozen=True)
class _Rows:
    notices: list[NoticeLine]
    proposals: list[ProposalLine]
    earlier_cases: list[EarlierCase]


class CaseContextReader:
    """The context from the state database and the billing port (the console wires it)."""

    def __init__(
        self,
        engine: Engine,
        billing: BillingService,
        notice_zone: ZoneInfo,
        clock: Callable[[], dt.datetime] = utc_now,
        limit: int = LIMIT,
    ) -> None:
        self._engine = engine
        self._billing = billing
        self._notice_zone = notice_zone
        self._clock = clock
        self._limit = limit

    async def read(self, case: Handoff) -> CaseContext:
        """The context of ``case``'s customer: five reads, whatever the customer has."""
        rows = await in_session(self._engine, lambda s: self._rows(s, case, self._clock()))
        if case.msisdn is None:
            return CaseContext(None, earlier_cases=rows.earlier_cases)
        try:
            history = await self._billing.usage_history(case.msisdn, BILL_MONTHS)
            tickets = await self._billing.tickets(case.msisdn, open_only=True)
        except BillingError:
            return CaseContext(
                case.msisdn,
                notices=rows.notices,
                proposals=rows.proposals,
                earlier_cases=rows.earlier_cases,
                billing_answered=False,
            )
        return CaseContext(
            case.msisdn,
            bills=[BillLine(m.month, m.total_charge) for m in reversed(history)],
            notices=rows.notices,
            proposals=rows.proposals,
            earlier_cases=rows.earlier_cases,
            tickets=[
                TicketLine(t.ticket_id, t.category.value, t.status.value, t.created_at)
                for t in tickets
            ],
        )

    def _rows(self, s: Session, case: Handoff, now: dt.datetime) -> _Rows:
        earlier = self._earlier_cases(s, case)
        if case.msisdn is None:
            return _Rows([], [], earlier)
        return _Rows(self._notices(s, case.msisdn), self._proposals(s, case.msisdn, now), earlier)

    def _notices(self, s: Session, msisdn: str) -> list[NoticeLine]:
        rows = s.scalars(
            select(NoticeRow)
            .where(NoticeRow.msisdn == msisdn)
            .order_by(NoticeRow.claimed_at.desc())
            .limit(self._limit)
        )
        return [
            NoticeLine(row.kind, row.event, self._utc(row.sent_at or row.claimed_at), row.status)
            for row in rows
        ]

    def _utc(self, operator_local: dt.datetime) -> dt.datetime:
        aware = operator_local.replace(tzinfo=self._notice_zone)
        return aware.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def _proposals(self, s: Session, msisdn: str, now: dt.datetime) -> list[ProposalLine]:
        rows = s.scalars(
            select(ProposalRow)
            .where(
                ProposalRow.msisdn == msisdn,
                ProposalRow.used_at.is_(None),
                ProposalRow.expires_at > now,
            )
            .order_by(ProposalRow.created_at.desc())
            .limit(self._limit)
        )
        found = []
        for row in rows:
            quote = Quote.loads(row.quote)
            found.append(
                ProposalLine(
                    row.kind,
                    row.subject,
                    quote.price if quote else None,
                    quote.allowance if quote else "",
                    row.expires_at,
                )
            )
        return found

    def _earlier_cases(self, s: Session, case: Handoff) -> list[EarlierCase]:
        same_customer = (
            HandoffRow.msisdn == case.msisdn
            if case.msisdn is not None
            else HandoffRow.conversation_id == case.conversation_id
        )
        if case.msisdn is not None:  # and what they said before the number was known
            same_customer = or_(same_customer, HandoffRow.conversation_id == case.conversation_id)
        rows = s.execute(
            select(
                HandoffRow.id,
                HandoffRow.created_at,
                HandoffRow.reason,
                HandoffRow.status,
                RatingRow.rating,
            )
            .outerjoin(RatingRow, RatingRow.handoff_id == HandoffRow.id)
            .where(same_customer, HandoffRow.id != case.id)
            .order_by(HandoffRow.created_at.desc(), HandoffRow.id.desc())
            .limit(self._limit)
        )
        return [EarlierCase(int(i), at, str(r), str(st), rt) for i, at, r, st, rt in rows]
