"""The web-chat mailbox: messages waiting for the page to fetch them (no Rasa import)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.state.tables import PendingMessageRow
from bot.storage.db import in_session


class PendingMessages:
    """Messages waiting for a web-chat page to fetch them."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def put(self, conversation_id: str, message: dict[str, Any]) -> None:
        def work(s: Session) -> None:
            s.add(
                PendingMessageRow(
                    conversation_id=conversation_id,
                    message=json.dumps(message),
                    created_at=dt.datetime.now(),
                )
            )
            s.commit()

        await in_session(self._engine, work)

    async def take(self, conversation_id: str) -> list[dict[str, Any]]:
        """The waiting messages, oldest first; they are gone afterwards."""

        def work(s: Session) -> list[dict[str, Any]]:
            rows = list(
                s.scalars(
                    select(PendingMessageRow)
                    .where(PendingMessageRow.conversation_id == conversation_id)
                    .order_by(PendingMessageRow.id)
                )
            )
            if rows:
                s.execute(
                    delete(PendingMessageRow).where(PendingMessageRow.id.in_([r.id for r in rows]))
                )
                s.commit()
            return [json.loads(r.message) for r in rows]

        return await in_session(self._engine, work)
