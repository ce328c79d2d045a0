"""The ``review_items`` table: candidates kept with their numbers masked, and their labels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.numbers import mask_all_numbers
from bot.review.source import ReviewCandidate
from bot.state.tables import ReviewCursorRow, ReviewItemRow
from bot.storage.clock import utc_from_timestamp, utc_now
from bot.storage.paging import Slice, read_slice

OPEN, LABELLED, DISMISSED = "open", "labelled", "dismissed"
TEXT_LIMIT = 1000


class ReviewError(Exception):
    """An item that cannot be labelled or dismissed (unknown, or no longer open)."""


@dataclass(frozen=True)
class ReviewItem:
    """One message under review, as the page and the export see it."""

    id: int
    conversation_id: str
    text: str  # numbers masked
    intent: str | None
    confidence: float | None
    channel: str
    reason: str
    time: dt.datetime
    status: str
    label: str | None = None
    agent: str | None = None


def _item(row: ReviewItemRow) -> ReviewItem:
    return ReviewItem(
        id=row.id,
        conversation_id=row.conversation_id,
        text=row.text,
        intent=row.intent,
        confidence=row.confidence,
        channel=row.channel,
        reason=row.reason,
        time=row.created_at,
        status=row.status,
        label=row.label,
        agent=row.agent,
    )


_OPEN_NEWEST_FIRST = (
    select(ReviewItemRow)
    .where(ReviewItemRow.status == OPEN)
    .order_by(ReviewItemRow.created_at.desc(), ReviewItemRow.id.desc())
)


class ReviewStore:
    """Adds candidates once each, lists open items, records labels and exports."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def cursor(self, source: str) -> float | None:
        """The newest event timestamp read from ``source`` so far."""
        with Session(self._engine) as s:
            row = s.get(ReviewCursorRow, source)
            return None if row is None else float(row.last_timestamp)

    def add(self, candidates: Iterable[ReviewCandidate], source: str, newest: float | None) -> int:
        """Keep the new candidates (one per conversation and event) and move the cursor."""
        added = 0
        with Session(self._engine) as s:
            for candidate in candidates:
                known = select(ReviewItemRow.id).where(
                    ReviewItemRow.conversation_id == candidate.conversation_id,
                    ReviewItemRow.event_timestamp == candidate.timestamp,
                )
                if s.scalars(known).first() is not None:
                    continue
                s.add(_row(candidate))
                added += 1
            if newest is not None:
                cursor = s.get(ReviewCursorRow, source)
                if cursor is None:
                    s.add(ReviewCursorRow(source=source, last_timestamp=newest))
                elif newest > cursor.last_timestamp:
                    cursor.last_timestamp = newest
            try:
                s.commit()
            except IntegrityError:  # another sync added the same items meanwhile
                s.rollback()
                return 0
        return added

    def open_items(self, limit: int = 200) -> list[ReviewItem]:
        """Open items, newest first."""
        with Session(self._engine) as s:
            return [_item(row) for row in s.scalars(_OPEN_NEWEST_FIRST.limit(limit))]

    def open_slice(self, limit: int, offset: int = 0) -> Slice[ReviewItem]:
        """``limit`` open items from ``offset``, newest first: one query, whatever is open."""
        with Session(self._engine) as s:
            return read_slice(s, _OPEN_NEWEST_FIRST, limit, offset, _item)

    def label(self, item_id: int, intent: str, agent: str) -> None:
        """Give an open item its right intent."""
        self._close(item_id, LABELLED, agent, intent)

    def dismiss(self, item_id: int, agent: str) -> None:
        """Drop an open item from review (nothing to learn from it)."""
        self._close(item_id, DISMISSED, agent, None)

    def _close(self, item_id: int, status: str, agent: str, label: str | None) -> None:
        change = (
            update(ReviewItemRow)
            .where(ReviewItemRow.id == item_id, ReviewItemRow.status == OPEN)
            .values(status=status, label=label, agent=agent, labelled_at=self._clock())
        )
        with Session(self._engine) as s:
            done = s.execute(change).rowcount
            s.commit()
        if done != 1:  # one conditional UPDATE: two agents cannot both decide
            raise ReviewError(f"item {item_id} is not open for review")

    def unexported(self) -> list[ReviewItem]:
        """Labelled items not written to training data yet, oldest first."""
        query = (
            select(ReviewItemRow)
            .where(ReviewItemRow.status == LABELLED, ReviewItemRow.exported_at.is_(None))
            .order_by(ReviewItemRow.created_at, ReviewItemRow.id)
        )
        with Session(self._engine) as s:
            return [_item(row) for row in s.scalars(query)]

    def mark_exported(self, item_ids: Iterable[int]) -> None:
        """Record that these items are in the training data now."""
        ids = list(item_ids)
        if not ids:
            return
        with Session(self._engine) as s:
            s.execute(
                update(ReviewItemRow)
                .where(ReviewItemRow.id.in_(ids))
                .values(exported_at=self._clock())
            )
            s.commit()


def _row(candidate: ReviewCandidate) -> ReviewItemRow:
    return ReviewItemRow(
        conversation_id=candidate.conversation_id[:128],
        event_timestamp=candidate.timestamp,
        text=mask_all_numbers(candidate.text)[:TEXT_LIMIT],
        intent=(candidate.intent or None) and candidate.intent[:64],
        confidence=candidate.confidence,
        channel=candidate.channel[:32],
        reason=candidate.reason[:16],
        created_at=utc_from_timestamp(candidate.timestamp),
        status=OPEN,
    )
