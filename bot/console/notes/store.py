"""Internal notes in the ``desk_notes`` table, each recorded in the desk's change log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot.handoff.desk_events import DeskEventKind, record
from bot.state.desk_tables import DeskNoteRow
from bot.storage.db import in_session

NOTE_LIMIT = 2000


class NoteProblem(ValueError):
    """A note that cannot be stored (empty or too long)."""


@dataclass(frozen=True)
class DeskNote:
    """One internal note: who wrote what, when."""

    id: int
    agent: str
    body: str
    created_at: dt.datetime


def _note(row: DeskNoteRow) -> DeskNote:
    return DeskNote(row.id, row.agent, row.body, row.created_at)


class DeskNotes:
    """Notes on cases (``handoff_id``) and tickets (``ticket_id``)."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self._engine = engine
        self._clock = clock

    async def add(
        self, agent: str, body: str, *, handoff_id: int | None = None, ticket_id: str | None = None
    ) -> DeskNote:
        """Store a note on a case or a ticket; raises ``NoteProblem``."""
        body = body.strip()
        if not body:
            raise NoteProblem("empty")
        if len(body) > NOTE_LIMIT:
            raise NoteProblem("too long")
        if (handoff_id is None) == (ticket_id is None):
            raise ValueError("a note is on a case or on a ticket")

        def work(s: Session) -> DeskNote:
            now = self._clock()
            row = DeskNoteRow(
                handoff_id=handoff_id, ticket_id=ticket_id, agent=agent, body=body, created_at=now
            )
            s.add(row)
            record(
                s,
                DeskEventKind.NOTE_ADDED,
                now,
                handoff_id=handoff_id,
                ticket_id=ticket_id,
                agent=agent,
            )
            s.commit()
            return _note(row)

        return await in_session(self._engine, work)

    async def of_case(self, handoff_id: int) -> list[DeskNote]:
        """The case's notes, oldest first."""
        return await self._list(DeskNoteRow.handoff_id == handoff_id)

    async def of_ticket(self, ticket_id: str) -> list[DeskNote]:
        """The ticket's notes, oldest first."""
        return await self._list(DeskNoteRow.ticket_id == ticket_id)

    async def _list(self, where: ColumnElement) -> list[DeskNote]:
        def work(s: Session) -> list[DeskNote]:
            query = select(DeskNoteRow).where(where).order_by(DeskNoteRow.id)
            return [_note(row) for row in s.scalars(query)]

        return await in_session(self._engine, work)
