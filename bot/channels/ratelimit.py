"""Per-sender rate limit: a sliding window of recent messages, checked before any work."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """At most ``limit`` messages per sender in any ``window`` seconds.

    Kept in the memory of each Rasa instance: behind a load balancer every
    instance counts what it sees (a sender is limited at most N times over).
    """

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}

    def allow(self, sender: str) -> bool:
        """Count a message from ``sender``; False when over the limit (not counted then)."""
        now = self._clock()
        recent = self._seen.setdefault(sender, deque())
        while recent and now - recent[0] >= self._window:
            recent.popleft()
        if len(recent) >= self._limit:
            return False
        recent.append(now)
        if len(self._seen) > 10_000:  # forget idle senders now and then
            self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] < self._window}
        return True
