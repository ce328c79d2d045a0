"""The desk's change log (``desk_events``): what changed, in order, for every console's live push.

Writers call ``record`` inside the transaction that makes the change (a case opened, claimed,
transferred or resolved, a customer's message on a handed-over conversation, a ticket updated),
so the log and the change commit together. Each console instance tails the log by ``id``
(``DeskEventLog.since``) and pushes to its browsers: two consoles show the same changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.state.desk_tables import DeskEventRow
from bot.storage.clock import utc_now
from bot.storage.db import in_session


class DeskEventKind(str, Enum):
    """What changed."""

    CASE_OPENED = "case_opened"
    CASE_CLAIMED = "case_claimed"
    CASE_TRANSFERRED = "case_transferred"
    CASE_RESOLVED = "case_resolved"
    CUSTOMER_MESSAGE = "customer_message"
    AGENT_MESSAGE = "agent_message"
    NOTE_ADDED = "note_added"
    TICKET_OPENED = "ticket_opened"
    TICKET_UPDATED = "ticket_updated"
    PRESENCE = "presence"


@dataclass(frozen=True)
class DeskEvent:
    """One entry of the log."""

    id: int
    kind: str
    handoff_id: int | None
    ticket_id: str | None
    agent: str | None
    created_at: dt.datetime


def record(
    session: Session,
    kind: DeskEventKind,
    at: dt.datetime,
    *,
    handoff_id: int | None = None,
    ticket_id: str | None = None,
    agent: str | None = None,
) -> None:
    """Add an entry in the caller's transaction (committed with the change it describes)."""
    session.add(
        DeskEventRow(
            kind=kind.value, handoff_id=handoff_id, ticket_id=ticket_id, agent=agent, created_at=at
        )
    )


class DeskEventLog:
    """Read and append the log on the project's state database."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    async def append(
        self,
        kind: DeskEventKind,
        *,
        handoff_id: int | None = None,
        ticket_id: str | None = None,
        agent: str | None = None,
    ) -> None:
        """Add an entry in a transaction of its own."""
        at = self._clock()

        def work(s: Session) -> None:
            record(s, kind, at, handoff_id=handoff_id, ticket_id=ticket_id, agent=agent)
            s.commit()

        await in_session(self._engine, work)

    async def latest_id(self) -> int:
        """The newest entry's id (0 when the log is empty): where a new listener starts."""

        def work(s: Session) -> int:
            return int(s.execute(select(func.max(DeskEventRow.id))).scalar() or 0)

        return await in_session(self._engine, work)

    async def since(self, after_id: int, limit: int = 100) -> list[DeskEvent]:
        """Entries after ``after_id``, oldest first."""

        def work(s: Session) -> list[DeskEvent]:
            rows = s.execute(
                select(DeskEventRow)
                .where(DeskEventRow.id > after_id)
                .order_by(DeskEventRow.id)
                .limit(limit)
            ).scalars()
            return [
                DeskEvent(r.id, r.kind, r.handoff_id, r.ticket_id, r.agent, r.created_at)
                for r in rows
            ]

        return await in_session(self._engine, work)
