"""The durable record of notices: a row per key (number, event, cycle), claimed before sending.

- ``claim``: INSERT of the key (status ``claimed``, who, when, ``retry_at`` = now + lease).
  The primary key lets exactly one scheduler win; the others get ``False``.
- ``mark_sent`` after Rasa accepted the notice.
- A claim not marked sent by its ``retry_at`` (its scheduler crashed, or the send failed
  and was ``release``-d for a retry) is ``stale``; ``take_over`` is a conditional UPDATE,
  so again one scheduler wins. The winner first looks for the notice in the customer's
  conversation (``bot.notices.sender``) and only marks it sent when it is there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.notices.due import Notice
from bot.notices.routes import Route
from bot.state.tables import NoticeRow
from bot.storage.db import in_session

CLAIMED = "claimed"
SENT = "sent"
T = TypeVar("T")


def _of(notice: Notice) -> tuple[object, ...]:
    return (
        NoticeRow.msisdn == notice.msisdn,
        NoticeRow.event == notice.event,
        NoticeRow.cycle == notice.cycle,
    )


def _notice(row: NoticeRow) -> Notice:
    return Notice(row.msisdn, row.event, row.cycle, dict(json.loads(row.payload)))


class NoticeStore:
    """Notices claimed and sent, in the state database; times are naive local (operator's zone)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def _run(self, work: Callable[[Session], T]) -> T:
        return await in_session(self._engine, work)

    async def recorded(self, notices: list[Notice]) -> set[str]:
        """The keys among ``notices`` that are recorded already (claimed or sent)."""
        numbers = sorted({n.msisdn for n in notices})
        if not numbers:
            return set()

        def work(s: Session) -> set[str]:
            rows = s.execute(
                select(NoticeRow.msisdn, NoticeRow.event, NoticeRow.cycle).where(
                    NoticeRow.msisdn.in_(numbers)
                )
            )
            return {f"{m}/{e}/{c}" for m, e, c in rows}

        return await self._run(work)

    async def claim(
        self, notice: Notice, route: Route, owner: str, now: dt.datetime, lease: dt.timedelta
    ) -> bool:
        """Record ``notice`` for ``route`` as claimed by ``owner``; False: it is recorded
        already (another scheduler claimed it, or it was sent)."""

        def work(s: Session) -> bool:
            s.add(
                NoticeRow(
                    msisdn=notice.msisdn,
                    event=notice.event,
                    cycle=notice.cycle,
                    kind=notice.kind.value,
                    payload=json.dumps(notice.figures, sort_keys=True),
                    status=CLAIMED,
                    claimed_by=owner,
                    claimed_at=now,
                    retry_at=now + lease,
                    attempts=1,
                    conversation_id=route.conversation_id,
                    channel=route.channel,
                )
            )
            try:
                s.commit()
            except IntegrityError:
                s.rollback()
                return False
            return True

        return await self._run(work)

    async def stale(self, now: dt.datetime, limit: int = 100) -> list[tuple[Notice, Route]]:
        """Claims not marked sent whose ``retry_at`` has come, with where they were going."""

        def work(s: Session) -> list[tuple[Notice, Route]]:
            rows = s.scalars(
                select(NoticeRow)
                .where(NoticeRow.status == CLAIMED, NoticeRow.retry_at <= now)
                .order_by(NoticeRow.claimed_at)
                .limit(limit)
            )
            return [(_notice(row), Route(row.conversation_id, row.channel)) for row in rows]

        return await self._run(work)

    async def take_over(
        self, notice: Notice, owner: str, now: dt.datetime, lease: dt.timedelta
    ) -> bool:
        """Claim a stale notice again; False: another scheduler took it, or it was sent."""

        def work(s: Session) -> bool:
            result = s.execute(
                update(NoticeRow)
                .where(*_of(notice), NoticeRow.status == CLAIMED, NoticeRow.retry_at <= now)
                .values(
                    claimed_by=owner,
                    claimed_at=now,
                    retry_at=now + lease,
                    attempts=NoticeRow.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            s.commit()
            return bool(result.rowcount == 1)

        return await self._run(work)

    async def mark_sent(self, notice: Notice, now: dt.datetime) -> None:
        """Record that the notice is in the customer's conversation."""

        def work(s: Session) -> None:
            s.execute(
                update(NoticeRow)
                .where(*_of(notice), NoticeRow.status == CLAIMED)
                .values(status=SENT, sent_at=now)
                .execution_options(synchronize_session=False)
            )
            s.commit()

        await self._run(work)

    async def release(self, notice: Notice, owner: str, retry_at: dt.datetime) -> None:
        """A send failed: any scheduler may try again from ``retry_at``."""

        def work(s: Session) -> None:
            s.execute(
                update(NoticeRow)
                .where(*_of(notice), NoticeRow.status == CLAIMED, NoticeRow.claimed_by == owner)
                .values(retry_at=retry_at)
                .execution_options(synchronize_session=False)
            )
            s.commit()

        await self._run(work)

    async def status(self, notice: Notice) -> str | None:
        """``claimed``, ``sent``, or None (not recorded)."""
        return await self._run(lambda s: s.scalar(select(NoticeRow.status).where(*_of(notice))))

    async def sent_by_kind(self) -> dict[str, int]:
        """How many notices were sent, by kind (the console's dashboard)."""

        def work(s: Session) -> dict[str, int]:
            rows = s.execute(
                select(NoticeRow.kind, func.count())
                .where(NoticeRow.status == SENT)
                .group_by(NoticeRow.kind)
            )
            return {str(kind): int(count) for kind, count in rows}

        return await self._run(work)
