"""Agents' presence: available or away (``agents.presence``), and who can answer now.

An agent can answer now when their presence is ``available`` and one of their console
sessions was seen within ``SEEN_WITHIN`` (a signed-in browser touches its session at
least every ``bot.console.access.sessions.TOUCH_EVERY`` while it polls or posts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.handoff.desk_events import DeskEventKind, record
from bot.state.tables import AgentRow, AgentSessionRow
from bot.storage.clock import utc_now
from bot.storage.db import in_session

AVAILABLE = "available"
AWAY = "away"
PRESENCES = (AVAILABLE, AWAY)
SEEN_WITHIN = dt.timedelta(minutes=10)


class PresenceError(Exception):
    """A presence that cannot be set (unknown agent or value)."""


class PresenceStore:
    """Read and set presence on the project's state database.

    ``clock`` must tell time as the session store stamps ``last_seen``.
    """

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], dt.datetime] = utc_now,
        seen_within: dt.timedelta = SEEN_WITHIN,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._seen_within = seen_within

    async def set(self, agent: str, presence: str) -> None:
        """Set ``agent``'s presence and log a ``PRESENCE`` desk event with it."""
        if presence not in PRESENCES:
            raise PresenceError(f"presence is one of {', '.join(PRESENCES)}, not {presence!r}")
        now = self._clock()

        def work(s: Session) -> None:
            result = s.execute(
                update(AgentRow)
                .where(AgentRow.username == agent)
                .values(presence=presence, presence_at=now)
            )
            if result.rowcount != 1:
                raise PresenceError(f"no agent {agent[:32]!r}")
            record(s, DeskEventKind.PRESENCE, now, agent=agent)
            s.commit()

        await in_session(self._engine, work)

    async def of(self, agent: str) -> str:
        """``agent``'s presence (``away`` for an unknown name)."""

        def work(s: Session) -> str:
            found = s.scalar(select(AgentRow.presence).where(AgentRow.username == agent))
            return str(found) if found in PRESENCES else AWAY

        return await in_session(self._engine, work)

    async def everyone(self) -> dict[str, str]:
        """Every agent's presence, by username."""

        def work(s: Session) -> dict[str, str]:
            rows = s.execute(select(AgentRow.username, AgentRow.presence).order_by("username"))
            return {name: presence for name, presence in rows}

        return await in_session(self._engine, work)

    async def answering(self) -> list[str]:
        """Agents who can answer now: available, with a session seen within ``seen_within``."""
        since = self._clock() - self._seen_within

        def work(s: Session) -> list[str]:
            seen = select(AgentSessionRow.agent).where(AgentSessionRow.last_seen >= since)
            query = (
                select(AgentRow.username)
                .where(AgentRow.presence == AVAILABLE, AgentRow.username.in_(seen))
                .order_by(AgentRow.username)
            )
            return list(s.scalars(query))

        return await in_session(self._engine, work)
