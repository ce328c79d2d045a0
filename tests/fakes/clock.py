"""The fixed moment the fakes and the tests agree on, and a clock a test can move."""

from __future__ import annotations

import datetime as dt

NOW = dt.datetime(2026, 11, 28, 10, 0)
TODAY = NOW.date()


class Clock:
    """A settable clock: ``clock.now = ...`` moves it; calling it tells the time."""

    def __init__(self, now: dt.datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now
