"""Where each complaint ticket was filed: the conversation, its channel and the language.

The billing system keeps the ticket; the project keeps where its customer can be
reached, so that every status change an agent makes is sent there
(``bot.tickets.desk``). Recorded by ``action_file_complaint``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.handoff.desk_events import DeskEventKind, record
from bot.state.tables import TicketOriginRow
from bot.storage.db import in_session


@dataclass(frozen=True)
class TicketOrigin:
    """The conversation a ticket was filed from."""

    ticket_id: str
    conversation_id: str
    channel: str
    language: str


class TicketOrigins:
    """Records and finds the origin of each ticket (one per ticket)."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self._engine = engine
        self._clock = clock

    async def record(self, origin: TicketOrigin) -> None:
        """Remember where the ticket was filed (a second record of it replaces the first)."""
        now = self._clock()

        def work(s: Session) -> None:
            s.merge(TicketOriginRow(**origin.__dict__, created_at=now))
            record(s, DeskEventKind.TICKET_OPENED, now, ticket_id=origin.ticket_id)
            s.commit()

        await in_session(self._engine, work)

    async def get(self, ticket_id: str) -> TicketOrigin | None:
        """Where the ticket was filed; None for a ticket filed before origins were kept."""

        def work(s: Session) -> TicketOrigin | None:
            row = s.get(TicketOriginRow, ticket_id.upper())
            if row is None:
                return None
            return TicketOrigin(row.ticket_id, row.conversation_id, row.channel, row.language)

        return await in_session(self._engine, work)
