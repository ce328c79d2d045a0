"""Whether a person can answer now: business hours and agents' presence together.

The desk is *answering* within business hours (``bot.handoff.hours``) while at least one
agent is available and signed in (``bot.handoff.presence``); otherwise a customer who asks
for a person is told when someone will answer, and their case waits in the queue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bot.handoff.estimate import QueueStanding
from bot.handoff.hours import DeskHours
from bot.handoff.presence import PresenceStore
from bot.storage.clock import aware_utc_now


@dataclass(frozen=True)
class DeskState:
    """The desk at one moment."""

    within_hours: bool
    agents_answering: int
    next_opening: dt.datetime  # on the desk's wall clock (aware); now while open
    now: dt.datetime  # on the desk's wall clock (aware)

    @property
    def answering(self) -> bool:
        """Whether a person can answer now."""
        return self.within_hours and self.agents_answering > 0


class DeskStaffing:
    """Hours, presence and the queue's standings, for the actions."""

    def __init__(
        self,
        hours: DeskHours,
        presence: PresenceStore,
        standing: QueueStanding,
        now: Callable[[], dt.datetime] = aware_utc_now,
        presence_counts: bool = True,
    ) -> None:
        self.presence_counts = presence_counts  # False: within hours is answering
        self.hours = hours
        self.presence = presence
        self.standing = standing
        self._now = now

    async def state(self) -> DeskState:
        """Open or closed, and who answers."""
        now = self._now()
        within = self.hours.is_open(now)
        answering = 0
        if within:
            answering = len(await self.presence.answering()) if self.presence_counts else 1
        return DeskState(within, answering, self.hours.next_opening(now), self.hours.local(now))
