"""Where review candidates come from: the user events of Rasa's tracker store.

A candidate is a customer message whose next bot action was ``action_fallback`` or
``action_handoff``, or whose intent confidence is below a threshold. The SQL adapter
reads Rasa's ``events`` table (read-only; SQLite by default, PostgreSQL in scale-out).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

FALLBACK_ACTION = "action_fallback"
HANDOFF_ACTION = "action_handoff"
NLU_FALLBACK = "nlu_fallback"
DEFAULT_CONFIDENCE_THRESHOLD = 0.5

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReviewCandidate:
    """One customer message worth a second look (text as written: the store masks it)."""

    conversation_id: str
    timestamp: float  # the user event's, in Unix seconds
    text: str
    intent: str | None
    confidence: float | None
    channel: str
    reason: str  # fallback | handoff | low_confidence


@dataclass(frozen=True)
class Scan:
    """What one read of the source found."""

    candidates: list[ReviewCandidate]
    newest: float | None  # the newest user event read (candidate or not); None: none read
    complete: bool  # False: ``limit`` events were read, more may follow


class ReviewSource(Protocol):
    """Reads customer messages from ``since`` (inclusive), oldest first."""

    def scan(self, since: float, limit: int) -> Scan: ...


# Rasa's ``events`` table, as far as it is read here (its own declaration lives in
# rasa.core.tracker_store, which this process does not import).
_EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("type_name", sa.String(255)),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def predicted_intent(parse_data: dict[str, Any]) -> tuple[str | None, float | None]:
    """The NLU's best intent and confidence; behind ``nlu_fallback``, the best real one."""
    intent = parse_data.get("intent") or {}
    name, confidence = intent.get("name"), intent.get("confidence")
    if name == NLU_FALLBACK:
        for ranked in parse_data.get("intent_ranking") or []:
            if ranked.get("name") not in (None, NLU_FALLBACK):
                name, confidence = ranked.get("name"), ranked.get("confidence")
                break
    return name, float(confidence) if confidence is not None else None


def classify(next_action: str | None, confidence: float | None, threshold: float) -> str | None:
    """Why a message needs review, or None if it does not."""
    if next_action == HANDOFF_ACTION:
        return "handoff"
    if next_action == FALLBACK_ACTION:
        return "fallback"
    if confidence is not None and confidence < threshold:
        return "low_confidence"
    return None


def candidate_of(
    sender_id: str, timestamp: float, data: str, next_action: str | None, threshold: float
) -> ReviewCandidate | None:
    """The candidate a user event makes, if any (button payloads ``/intent`` never do)."""
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return None
    text = str(event.get("text") or "").strip()
    if not text or text.startswith("/"):
        return None
    intent, confidence = predicted_intent(event.get("parse_data") or {})
    reason = classify(next_action, confidence, threshold)
    if reason is None:
        return None
    channel = str(event.get("input_channel") or "unknown")
    return ReviewCandidate(sender_id, timestamp, text, intent, confidence, channel, reason)


class SqlTrackerReviewSource:
    """Candidates from Rasa's SQL tracker store (its ``events`` table), read-only."""

    def __init__(self, engine: Engine, threshold: float = DEFAULT_CONFIDENCE_THRESHOLD) -> None:
        self._engine = engine
        self._threshold = threshold

    def scan(self, since: float, limit: int) -> Scan:
        """User events from ``since``, each with the first action that followed it."""
        user, after = _EVENTS.alias("u"), _EVENTS.alias("a")
        next_action = (
            sa.select(after.c.action_name)
            .where(
                after.c.sender_id == user.c.sender_id,
                after.c.type_name == "action",
                after.c.id > user.c.id,
            )
            .order_by(after.c.id)
            .limit(1)
            .scalar_subquery()
        )
        query = (
            sa.select(user.c.sender_id, user.c.timestamp, user.c.data, next_action)
            .where(user.c.type_name == "user", user.c.timestamp >= since)
            .order_by(user.c.timestamp, user.c.id)
            .limit(limit)
        )
        try:
            with self._engine.connect() as connection:
                rows = connection.execute(query).all()
        except SQLAlchemyError as error:  # no tracker database (yet): nothing to review
            log.warning("review: the tracker store cannot be read: %s", error.__class__.__name__)
            return Scan([], None, True)
        found = [
            candidate_of(row[0], float(row[1]), row[2], row[3], self._threshold) for row in rows
        ]
        return Scan(
            [candidate for candidate in found if candidate is not None],
            float(rows[-1][1]) if rows else None,
            len(rows) < limit,
        )
