"""Login rate limiting: too many failures for a username or an address lock it for a while.

Failed sign-ins under an agent's name are also counted for the agent, from any
address, and told to them once at their next sign-in (how many, the latest address
and time), so that someone trying their password does not go unnoticed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_KEYS = 10_000  # memory bound: beyond it, stale entries are dropped


@dataclass
class _Record:
    failures: int = 0
    first_failure: float = 0.0
    locked_until: float = 0.0


@dataclass(frozen=True)
class MissedSignIns:
    """Failed sign-ins under one agent's name since their last sign-in."""

    count: int
    last_address: str
    last_at: float  # Unix time


@dataclass
class LoginThrottle:
    """In-memory failure counts per key (``user:<name>``, ``ip:<address>``).

    ``limits`` maps a key's prefix to how many failures within ``window`` lock
    it for ``lockout`` seconds. A success clears the username's count.
    """

    limits: dict[str, int] = field(default_factory=lambda: {"user": 5, "ip": 20})
    window: float = 900.0
    lockout: float = 300.0
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time
    _records: dict[str, _Record] = field(default_factory=dict)
    _missed: dict[str, MissedSignIns] = field(default_factory=dict)
    _to_tell: dict[str, MissedSignIns] = field(default_factory=dict)  # by session token

    def missed(self, username: str, address: str) -> None:
        """Count a failed sign-in under ``username`` (any address) for the agent to hear of."""
        if len(self._missed) > MAX_KEYS:
            self._missed.clear()
        before = self._missed.get(username)
        count = (before.count if before else 0) + 1
        self._missed[username] = MissedSignIns(count, address, self.wall_clock())

    def signed_in(self, username: str, session_token: str) -> None:
        """The agent signed in: what was missed is to be told on their next page."""
        found = self._missed.pop(username, None)
        if found is not None:
            self._to_tell[session_token] = found

    def to_tell(self, session_token: str) -> MissedSignIns | None:
        """The failed sign-ins to tell this session's agent about, once."""
        return self._to_tell.pop(session_token, None)

    def locked_for(self, keys: list[str]) -> float:
        """Seconds until every key is free again (0 when none is locked)."""
        now = self.clock()
        waits = [self._records[key].locked_until - now for key in keys if key in self._records]
        return max([0.0, *waits])

    def failure(self, keys: list[str]) -> None:
        """Count a failed sign-in for each key; lock a key that reaches its limit."""
        now = self.clock()
        if len(self._records) > MAX_KEYS:
            self._sweep(now)
        for key in keys:
            record = self._records.setdefault(key, _Record())
            if now - record.first_failure > self.window:
                record.failures, record.first_failure = 0, now
            record.failures += 1
            if record.failures >= self.limits.get(key.split(":", 1)[0], 5):
                record.locked_until = now + self.lockout
                record.failures = 0

    def success(self, keys: list[str]) -> None:
        """Forget the failures of these keys."""
        for key in keys:
            self._records.pop(key, None)

    def _sweep(self, now: float) -> None:
        stale = [
            key
            for key, record in self._records.items()
            if record.locked_until < now and now - record.first_failure > self.window
        ]
        for key in stale:
            del self._records[key]
