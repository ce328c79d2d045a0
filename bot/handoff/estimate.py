"""How long a waiting customer may wait: their place in the queue, and an honest estimate.

The estimate is the median time-to-claim of the cases claimed in the last ``HISTORY``
(7 days), times the customer's place; with no such case there is no estimate (we say so
rather than guess). The place follows the queue's order (``bot.handoff.queue.queue_order``:
complaint escalations first, then the oldest).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot.handoff.queue import HandoffReason, HandoffStatus
from bot.state.tables import HandoffRow
from bot.storage.clock import utc_now
from bot.storage.db import in_session

HISTORY = dt.timedelta(days=7)


def estimate_minutes(place: int, recent_waits: list[float]) -> int | None:
    """Whole minutes (at least 1) for the ``place``-th customer, from recent waits in
    seconds; None without history."""
    if not recent_waits or place < 1:
        return None
    return max(1, math.ceil(statistics.median(recent_waits) * place / 60))


@dataclass(frozen=True)
class Standing:
    """Where a waiting case stands."""

    case_id: int
    place: int  # 1: next to be answered
    waiting: int  # cases waiting in all
    minutes: int | None  # None: no recent history to estimate from


class QueueStanding:
    """Places and estimates from the handoff table."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], dt.datetime] = utc_now,
        history: dt.timedelta = HISTORY,
    ) -> None:
        self._engine = engine
        self._clock = clock  # as the queue stamps cases
        self._history = history

    async def of_conversation(self, conversation_id: str) -> Standing | None:
        """The conversation's waiting case's standing (None: no case waits)."""

        def work(s: Session) -> Standing | None:
            row = s.scalars(
                select(HandoffRow)
                .where(
                    HandoffRow.conversation_id == conversation_id,
                    HandoffRow.status == HandoffStatus.WAITING.value,
                )
                .order_by(HandoffRow.id.desc())
            ).first()
            return None if row is None else self._standing(s, row)

        return await in_session(self._engine, work)

    async def of_case(self, case_id: int) -> Standing | None:
        """Case ``case_id``'s standing (None: it is not waiting)."""

        def work(s: Session) -> Standing | None:
            row = s.get(HandoffRow, case_id)
            if row is None or row.status != HandoffStatus.WAITING.value:
                return None
            return self._standing(s, row)

        return await in_session(self._engine, work)

    async def waiting_now(self) -> tuple[int, int | None]:
        """Cases waiting, and the estimate for one more (None: no history)."""

        def work(s: Session) -> tuple[int, int | None]:
            waiting = int(s.scalar(select(func.count()).where(_waiting())) or 0)
            return waiting, estimate_minutes(waiting + 1, self._recent_waits(s))

        return await in_session(self._engine, work)

    def _standing(self, s: Session, row: HandoffRow) -> Standing:
        escalated = HandoffReason.COMPLAINT_ESCALATION.value
        mine_first = row.reason == escalated
        same_rank = HandoffRow.reason == escalated if mine_first else HandoffRow.reason != escalated
        earlier = or_(
            HandoffRow.created_at < row.created_at,
            and_(HandoffRow.created_at == row.created_at, HandoffRow.id < row.id),
        )
        ahead = and_(same_rank, earlier)
        if not mine_first:
            ahead = or_(HandoffRow.reason == escalated, ahead)
        before = int(s.scalar(select(func.count()).where(_waiting(), ahead)) or 0)
        waiting = int(s.scalar(select(func.count()).where(_waiting())) or 0)
        place = before + 1
        return Standing(row.id, place, waiting, estimate_minutes(place, self._recent_waits(s)))

    def _recent_waits(self, s: Session) -> list[float]:
        since = self._clock() - self._history
        rows = s.execute(
            select(HandoffRow.created_at, HandoffRow.claimed_at).where(
                HandoffRow.claimed_at.is_not(None), HandoffRow.claimed_at >= since
            )
        )
        return [max(0.0, (claimed - created).total_seconds()) for created, claimed in rows]


def _waiting() -> ColumnElement:
    return HandoffRow.status == HandoffStatus.WAITING.value
