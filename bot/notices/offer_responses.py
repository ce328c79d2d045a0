"""How customers answered plan offers, and the dashboard's figures of them.

An offer is a notice (``bot.notices.store``: sent ones are counted there); the customer's
answer is one row per offer key (number and quarter), the first answer counting. The
plan and saving come from the notice as it was sent, never from the conversation.

"Switched" is an accepted offer whose plan change was ordered: the newest plan-change
proposal of that number and plan recorded since the answer was redeemed (a proposal
withdrawn because its quote changed is always followed by a newer one).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.confirmations import PLAN_CHANGE
from bot.domain.notice_kinds import NoticeKind
from bot.notices.due import PLAN_OFFER
from bot.state.tables import NoticeRow, OfferResponseRow, ProposalRow
from bot.storage.db import in_session

ACCEPTED = "accepted"
DECLINED = "declined"
_CENTS = Decimal(100)


@dataclass(frozen=True)
class OfferCounts:
    """Offers sent, accepted and declined; switches ordered and what they save a month."""

    sent: int = 0
    accepted: int = 0
    declined: int = 0
    switched: int = 0
    saving_delivered: Decimal = Decimal("0.00")  # yuan a month, over the switches


class OfferResponses:
    """Records each customer's answer to an offer, and counts them."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self._engine = engine
        self._clock = clock

    async def record(self, key: str, msisdn: str, response: str, conversation_id: str) -> bool:
        """Record ``response`` to the offer ``key`` (``+86…/plan_offer/2026-Q4``) sent to
        ``msisdn``; False when the key is no offer to that number, or it was answered already.
        """
        if response not in (ACCEPTED, DECLINED):
            raise ValueError(f"unknown response {response}")
        number, _, rest = key.partition("/")
        event, _, cycle = rest.partition("/")
        if number != msisdn or event != PLAN_OFFER:
            return False
        now = self._clock()

        def work(s: Session) -> bool:
            notice = s.get(NoticeRow, (number, event, cycle))
            if notice is None:
                return False
            figures = json.loads(notice.payload)
            s.add(
                OfferResponseRow(
                    msisdn=number,
                    cycle=cycle,
                    plan_code=str(figures.get("notice_plan") or ""),
                    saving_cents=int(Decimal(figures.get("notice_saving") or "0") * _CENTS),
                    response=response,
                    conversation_id=conversation_id,
                    responded_at=now,
                )
            )
            try:
                s.commit()
            except IntegrityError:
                s.rollback()
                return False
            return True

        return await in_session(self._engine, work)

    async def counts(self) -> OfferCounts:
        """The dashboard's figures."""

        def work(s: Session) -> OfferCounts:
            sent = s.scalar(
                select(func.count()).where(
                    NoticeRow.kind == NoticeKind.OFFER.value, NoticeRow.sent_at.is_not(None)
                )
            )
            answers = dict(
                s.execute(
                    select(OfferResponseRow.response, func.count()).group_by(
                        OfferResponseRow.response
                    )
                ).all()
            )
            accepted = s.scalars(
                select(OfferResponseRow).where(OfferResponseRow.response == ACCEPTED)
            ).all()
            switched = [row for row in accepted if _ordered(s, row)]
            saving = sum((Decimal(row.saving_cents) for row in switched), Decimal(0)) / _CENTS
            return OfferCounts(
                sent=int(sent or 0),
                accepted=int(answers.get(ACCEPTED, 0)),
                declined=int(answers.get(DECLINED, 0)),
                switched=len(switched),
                saving_delivered=saving.quantize(Decimal("0.01")),
            )

        return await in_session(self._engine, work)


def _ordered(s: Session, row: OfferResponseRow) -> bool:
    """Whether the plan change the accepted offer led to was ordered (see the module)."""
    newest = s.scalars(
        select(ProposalRow.used_at)
        .where(
            ProposalRow.msisdn == row.msisdn,
            ProposalRow.kind == PLAN_CHANGE,
            ProposalRow.subject == row.plan_code,
            ProposalRow.created_at >= row.responded_at,
        )
        .order_by(ProposalRow.created_at.desc())
        .limit(1)
    ).first()
    return newest is not None
