"""A customer's message on a handed-over conversation, noted in the desk's change log.

The bot stays silent while a conversation is paused for an agent; the channels' common
path (``bot.channels.guarded``) tells this service, so that every console shows the new
message at once (``bot.console.live``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.handoff.desk_events import DeskEventKind, record
from bot.handoff.queue import HandoffStatus
from bot.state.tables import HandoffRow
from bot.storage.db import in_session


class HandoverMessages:
    """Records ``customer_message`` for the conversation's open case, if it has one."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self._engine = engine
        self._clock = clock

    async def seen(self, conversation_id: str) -> int | None:
        """Note a new message; the open case's id (None: no open case, nothing noted)."""
        at = self._clock()

        def work(s: Session) -> int | None:
            case_id = s.scalar(
                select(HandoffRow.id)
                .where(
                    HandoffRow.conversation_id == conversation_id,
                    HandoffRow.status != HandoffStatus.RESOLVED.value,
                )
                .order_by(HandoffRow.id.desc())
                .limit(1)
            )
            if case_id is None:
                return None
            record(s, DeskEventKind.CUSTOMER_MESSAGE, at, handoff_id=case_id)
            s.commit()
            return int(case_id)

        return await in_session(self._engine, work)
