"""Conversation sessions and satisfaction ratings, for the dashboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.state.tables import RatingRow, SessionRow
from bot.storage.db import in_session

RATINGS = {"1": "satisfied", "2": "neutral", "3": "unsatisfied"}


class StatsStore:
    """Records sessions and ratings; counts them."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self._engine = engine
        self._clock = clock

    async def session_started(self, conversation_id: str, channel: str) -> None:
        def work(s: Session) -> None:
            s.add(
                SessionRow(
                    conversation_id=conversation_id, channel=channel, started_at=self._clock()
                )
            )
            s.commit()

        await in_session(self._engine, work)

    async def rate(self, conversation_id: str, rating: str, handoff_id: int | None = None) -> bool:
        """Store a rating: "satisfied", "neutral" or "unsatisfied", of the case ``handoff_id``.

        A case is rated at most once: False, and nothing stored, if it already was.
        (Callers check that the case is the conversation's; None binds to no case.)
        """
        if rating not in RATINGS.values():
            raise ValueError(f"unknown rating {rating}")

        def work(s: Session) -> bool:
            if handoff_id is not None:
                taken = select(RatingRow.id).where(RatingRow.handoff_id == handoff_id)
                if s.scalars(taken).first() is not None:
                    return False
            s.add(
                RatingRow(
                    conversation_id=conversation_id,
                    rating=rating,
                    handoff_id=handoff_id,
                    created_at=self._clock(),
                )
            )
            try:
                s.commit()
            except IntegrityError:  # rated meanwhile: the unique column decides
                s.rollback()
                return False
            return True

        return await in_session(self._engine, work)

    async def conversations(self) -> int:
        """Distinct conversations that started at least one session."""

        def work(s: Session) -> int:
            return int(s.scalar(select(func.count(func.distinct(SessionRow.conversation_id)))) or 0)

        return await in_session(self._engine, work)

    async def ratings(self) -> dict[str, int]:
        def work(s: Session) -> dict[str, int]:
            rows = s.execute(select(RatingRow.rating, func.count()).group_by(RatingRow.rating))
            counts = {name: 0 for name in RATINGS.values()}
            counts.update({rating: int(n) for rating, n in rows})
            return counts

        return await in_session(self._engine, work)
