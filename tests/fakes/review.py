"""``FakeReviewSource``: review candidates a test adds by hand (``bot.review.source``)."""

from __future__ import annotations

import datetime as dt

from bot.review.source import ReviewCandidate, Scan
from tests.fakes.clock import NOW

REVIEW_INTENTS = ["check_balance", "greet", "human_handoff", "out_of_scope"]


class FakeReviewSource:
    """Keeps candidates in memory; scans them like the SQL adapter (from ``since``, oldest
    first, at most ``limit``)."""

    def __init__(self) -> None:
        self.candidates: list[ReviewCandidate] = []

    def add(
        self,
        text: str,
        *,
        conversation_id: str = "+8613800000001",
        at: dt.datetime = NOW,
        intent: str | None = "check_balance",
        confidence: float | None = 0.31,
        channel: str = "sms",
        reason: str = "low_confidence",
    ) -> ReviewCandidate:
        candidate = ReviewCandidate(
            conversation_id, at.timestamp(), text, intent, confidence, channel, reason
        )
        self.candidates.append(candidate)
        return candidate

    def scan(self, since: float, limit: int) -> Scan:
        found = sorted(
            (c for c in self.candidates if c.timestamp >= since), key=lambda c: c.timestamp
        )[:limit]
        return Scan(found, found[-1].timestamp if found else None, len(found) < limit)
