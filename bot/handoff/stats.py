"""Conversation sessions and satisfaction ratings, for the dashboard."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.state.tables import HandoffRow, RatingRow, SessionRow
from bot.storage.clock import utc_now
from bot.storage.db import in_session

RATINGS = {"1": "satisfied", "2": "neutral", "3": "unsatisfied"}


@dataclass(frozen=True)
class AgentFigures:
    """One agent's cases (supervisors' dashboard): claimed by them, the median seconds from
    opening to claim and from claim to resolution, the ratings of their cases."""

    agent: str
    handled: int
    median_claim_seconds: float | None
    median_resolve_seconds: float | None
    ratings: dict[str, int] = field(default_factory=dict)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


class StatsStore:
    """Records sessions and ratings; counts them."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = utc_now) -> None:
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

    async def per_agent(self) -> list[AgentFigures]:
        """Figures of every agent who has claimed a case, by name."""

        def work(s: Session) -> list[AgentFigures]:
            query = select(
                HandoffRow.claimed_by,
                HandoffRow.created_at,
                HandoffRow.claimed_at,
                HandoffRow.resolved_at,
                RatingRow.rating,
            ).outerjoin(RatingRow, RatingRow.handoff_id == HandoffRow.id)
            claims: dict[str, list[float]] = defaultdict(list)
            resolves: dict[str, list[float]] = defaultdict(list)
            rated: dict[str, dict[str, int]] = defaultdict(dict)
            for agent, created, claimed, resolved, rating in s.execute(
                query.where(HandoffRow.claimed_by.is_not(None), HandoffRow.claimed_at.is_not(None))
            ):
                claims[agent].append((claimed - created).total_seconds())
                if resolved is not None:
                    resolves[agent].append((resolved - claimed).total_seconds())
                if rating in RATINGS.values():
                    rated[agent][rating] = rated[agent].get(rating, 0) + 1
            return [
                AgentFigures(
                    agent=agent,
                    handled=len(claims[agent]),
                    median_claim_seconds=_median(claims[agent]),
                    median_resolve_seconds=_median(resolves[agent]),
                    ratings={name: rated[agent].get(name, 0) for name in RATINGS.values()},
                )
                for agent in sorted(claims)
            ]

        return await in_session(self._engine, work)
