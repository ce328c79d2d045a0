"""The handoff queue on the project's state database (``HandoffRow`` in ``bot.state.tables``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import case, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.handoff.desk_events import DeskEventKind, record
from bot.handoff.queue import (
    OPEN_PER_CLIENT,
    RATING_WINDOW,
    Handoff,
    HandoffError,
    HandoffLimitReached,
    HandoffQueue,
    HandoffReason,
    HandoffStatus,
    OpenPage,
    check_channel,
)
from bot.metrics import HANDOFFS
from bot.state.tables import HandoffRow
from bot.storage.clock import utc_now
from bot.storage.db import in_session

T = TypeVar("T")


class SqlHandoffQueue(HandoffQueue):
    """Handoff cases in the project's database."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], dt.datetime] = utc_now,
        open_per_client: int = OPEN_PER_CLIENT,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._open_per_client = open_per_client

    async def _run(self, work: Callable[[Session], T]) -> T:
        return await in_session(self._engine, work)

    async def create(
        self,
        conversation_id: str,
        msisdn: str | None,
        channel: str,
        language: str,
        reason: HandoffReason,
        detail: str | None = None,
        client: str | None = None,
    ) -> Handoff:
        check_channel(channel)

        def work(s: Session) -> Handoff:
            existing = _open_row(s, conversation_id)
            if existing is not None:
                return _handoff(existing)
            if client is not None and _open_of_client(s, client) >= self._open_per_client:
                raise HandoffLimitReached(f"{self._open_per_client} cases open for one client")
            row = HandoffRow(
                conversation_id=conversation_id,
                msisdn=msisdn,
                channel=channel,
                language=language,
                reason=reason.value,
                detail=detail,
                status=HandoffStatus.WAITING.value,
                created_at=self._clock(),
                client_address=client,
            )
            s.add(row)
            s.flush()  # the id, for the desk's change log
            record(s, DeskEventKind.CASE_OPENED, row.created_at, handoff_id=row.id)
            s.commit()
            HANDOFFS.labels(reason=reason.value).inc()
            return _handoff(row)

        return await self._run(work)

    async def open_case(self, conversation_id: str) -> Handoff | None:
        def work(s: Session) -> Handoff | None:
            row = _open_row(s, conversation_id)
            return None if row is None else _handoff(row)

        return await self._run(work)

    async def last_resolved(
        self, conversation_id: str, within: dt.timedelta = RATING_WINDOW
    ) -> Handoff | None:
        since = self._clock() - within

        def work(s: Session) -> Handoff | None:
            query = select(HandoffRow).where(
                HandoffRow.conversation_id == conversation_id,
                HandoffRow.status == HandoffStatus.RESOLVED.value,
                HandoffRow.resolved_at >= since,
            )
            newest = query.order_by(HandoffRow.resolved_at.desc(), HandoffRow.id.desc())
            found = s.scalars(newest).first()
            return None if found is None else _handoff(found)

        return await self._run(work)

    async def waiting(self) -> list[Handoff]:
        def work(s: Session) -> list[Handoff]:
            query = (
                select(HandoffRow)
                .where(HandoffRow.status == HandoffStatus.WAITING.value)
                .order_by(HandoffRow.created_at, HandoffRow.id)
            )
            return [_handoff(row) for row in s.scalars(query)]

        return await self._run(work)

    async def get(self, case_id: int) -> Handoff:
        def work(s: Session) -> Handoff:
            row = s.get(HandoffRow, case_id)
            if row is None:
                raise HandoffError(f"no case {case_id}")
            return _handoff(row)

        return await self._run(work)

    async def open_cases(self) -> list[Handoff]:
        return await self._select(HandoffRow.status != HandoffStatus.RESOLVED.value)

    async def open_page(self, limit: int, offset: int = 0) -> OpenPage:
        waiting, claimed = HandoffStatus.WAITING.value, HandoffStatus.CLAIMED.value
        escalated = HandoffReason.COMPLAINT_ESCALATION.value

        def work(s: Session) -> OpenPage:
            counts = dict(
                s.execute(
                    select(HandoffRow.status, func.count())
                    .where(HandoffRow.status.in_((waiting, claimed)))
                    .group_by(HandoffRow.status)
                ).all()
            )
            first = case((HandoffRow.reason == escalated, 0), else_=1)
            waiting_rows = s.scalars(
                select(HandoffRow)
                .where(HandoffRow.status == waiting)
                .order_by(first, HandoffRow.created_at, HandoffRow.id)
                .limit(limit)
                .offset(offset)
            )
            waiting_cases = [_handoff(row) for row in waiting_rows]
            claimed_rows = s.scalars(
                select(HandoffRow)
                .where(HandoffRow.status == claimed)
                .order_by(HandoffRow.created_at, HandoffRow.id)
                .limit(limit)
            )
            return OpenPage(
                waiting_cases,
                [_handoff(row) for row in claimed_rows],
                int(counts.get(waiting, 0)),
                int(counts.get(claimed, 0)),
            )

        return await self._run(work)

    async def all_cases(self) -> list[Handoff]:
        return await self._select(None)

    async def _select(self, condition: Any) -> list[Handoff]:
        def work(s: Session) -> list[Handoff]:
            query = select(HandoffRow).order_by(HandoffRow.created_at, HandoffRow.id)
            if condition is not None:
                query = query.where(condition)
            return [_handoff(row) for row in s.scalars(query)]

        return await self._run(work)

    async def mark_wait_notice(self, case_id: int) -> None:
        await self._set(case_id, wait_notice_at=self._clock())

    async def request_callback(self, case_id: int) -> None:
        await self._set(case_id, callback_requested=True)

    async def _set(self, case_id: int, **values: Any) -> None:
        def work(s: Session) -> None:
            s.execute(update(HandoffRow).where(HandoffRow.id == case_id).values(**values))
            s.commit()

        await self._run(work)

    async def claim(self, case_id: int, agent: str) -> Handoff:
        def work(s: Session) -> Handoff:
            # A conditional UPDATE makes the claim atomic: two agents cannot both win.
            now = self._clock()
            result = s.execute(
                update(HandoffRow)
                .where(HandoffRow.id == case_id, HandoffRow.status == HandoffStatus.WAITING.value)
                .values(status=HandoffStatus.CLAIMED.value, claimed_by=agent, claimed_at=now)
            )
            if result.rowcount == 1:
                record(s, DeskEventKind.CASE_CLAIMED, now, handoff_id=case_id, agent=agent)
            s.commit()
            if result.rowcount != 1:
                raise HandoffError(f"case {case_id} is not waiting")
            return _handoff(s.get(HandoffRow, case_id))

        return await self._run(work)

    async def resolve(self, case_id: int, agent: str, note: str) -> Handoff:
        def work(s: Session) -> Handoff:
            now = self._clock()
            result = s.execute(
                update(HandoffRow)
                .where(
                    HandoffRow.id == case_id,
                    HandoffRow.claimed_by == agent,
                    HandoffRow.status == HandoffStatus.CLAIMED.value,
                )
                .values(status=HandoffStatus.RESOLVED.value, resolved_at=now, resolution_note=note)
            )
            if result.rowcount == 1:
                record(s, DeskEventKind.CASE_RESOLVED, now, handoff_id=case_id, agent=agent)
            s.commit()
            if result.rowcount != 1:
                raise HandoffError(f"case {case_id} is not claimed by {agent}")
            return _handoff(s.get(HandoffRow, case_id))

        return await self._run(work)


def _open_row(session: Session, conversation_id: str) -> HandoffRow | None:
    query = select(HandoffRow).where(
        HandoffRow.conversation_id == conversation_id,
        HandoffRow.status != HandoffStatus.RESOLVED.value,
    )
    return session.scalars(query.order_by(HandoffRow.id.desc())).first()


def _open_of_client(session: Session, client: str) -> int:
    query = select(func.count()).where(
        HandoffRow.client_address == client,
        HandoffRow.status != HandoffStatus.RESOLVED.value,
    )
    return int(session.scalar(query) or 0)


def _handoff(row: HandoffRow) -> Handoff:
    return Handoff(
        row.id,
        row.conversation_id,
        row.msisdn,
        row.channel,
        row.language,
        HandoffReason(row.reason),
        row.detail,
        HandoffStatus(row.status),
        row.created_at,
        row.claimed_by,
        claimed_at=row.claimed_at,
        resolved_at=row.resolved_at,
        wait_notice_at=row.wait_notice_at,
        callback_requested=bool(row.callback_requested),
        client=row.client_address,
    )
