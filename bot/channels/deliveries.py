"""Idempotent webhook deliveries: a message id seen again gets the same answer, once acted on.

Gateways retry. The first delivery of ``(sender, message_id)`` inserts a row
(the primary key makes the claim atomic, across processes and restarts); a
repeat waits for the first to finish and gets its stored answer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

from sqlalchemy import Column, DateTime, String, Text, delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import Base, in_session

PROCESSING = "processing"
DONE = "done"


class DeliveryRow(Base):
    __tablename__ = "webhook_deliveries"
    channel = Column(String(16), primary_key=True)
    sender = Column(String(64), primary_key=True)
    message_id = Column(String(128), primary_key=True)
    status = Column(String(16), nullable=False)
    response = Column(Text, nullable=True)
    created_at = Column(DateTime, nullable=False, index=True)


class DeliveryInProgress(Exception):
    """The same message is still being handled by another request."""


class Deliveries:
    """Claims message ids and remembers the answers given to them."""

    def __init__(self, engine: Engine, keep: dt.timedelta = dt.timedelta(days=7)) -> None:
        self._engine = engine
        self._keep = keep
        self._claims = 0

    async def claim(self, channel: str, sender: str, message_id: str) -> dict[str, Any] | None:
        """None if this delivery is new (go ahead), else the stored answer of the first one.

        Raises ``DeliveryInProgress`` if the first one is still running after a wait.
        """
        for _ in range(50):
            stored = await in_session(
                self._engine, lambda s: self._try_claim(s, channel, sender, message_id)
            )
            if stored is None:
                return None
            if stored.status == DONE and stored.response is not None:
                return dict(json.loads(stored.response))
            await asyncio.sleep(0.2)
        raise DeliveryInProgress(message_id)

    def _try_claim(self, s: Session, channel: str, sender: str, message_id: str) -> Any:
        now = dt.datetime.now()
        s.add(
            DeliveryRow(
                channel=channel,
                sender=sender,
                message_id=message_id,
                status=PROCESSING,
                created_at=now,
            )
        )
        try:
            s.commit()
        except IntegrityError:
            s.rollback()
            return s.get(DeliveryRow, (channel, sender, message_id))
        self._claims += 1
        if self._claims % 1000 == 0:  # now and then, forget old deliveries
            s.execute(delete(DeliveryRow).where(DeliveryRow.created_at < now - self._keep))
            s.commit()
        return None

    async def finish(
        self, channel: str, sender: str, message_id: str, answer: dict[str, Any]
    ) -> None:
        """Store the answer given to the delivery."""

        def work(s: Session) -> None:
            row = s.get(DeliveryRow, (channel, sender, message_id))
            if row is not None:
                row.status, row.response = DONE, json.dumps(answer, ensure_ascii=False)
                s.commit()

        await in_session(self._engine, work)

    async def abandon(self, channel: str, sender: str, message_id: str) -> None:
        """Forget a delivery that failed, so the gateway's retry is handled afresh."""

        def work(s: Session) -> None:
            s.execute(
                delete(DeliveryRow).where(
                    DeliveryRow.channel == channel,
                    DeliveryRow.sender == sender,
                    DeliveryRow.message_id == message_id,
                )
            )
            s.commit()

        await in_session(self._engine, work)
