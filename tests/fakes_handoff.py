"""Fakes of the handoff side: the queue and Rasa's HTTP API, in memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.handoff.queue import (
    RATING_WINDOW,
    Handoff,
    HandoffError,
    HandoffQueue,
    HandoffReason,
    HandoffStatus,
    check_channel,
)

NOW = dt.datetime(2026, 11, 28, 10, 0)


class FakeHandoffQueue(HandoffQueue):
    """Handoff cases in a list; ``clock`` stamps claims and resolutions like the SQL queue."""

    def __init__(self, clock: Callable[[], dt.datetime] = lambda: NOW) -> None:
        self.cases: list[Handoff] = []
        self.clock = clock

    async def create(
        self,
        conversation_id: str,
        msisdn: str | None,
        channel: str,
        language: str,
        reason: HandoffReason,
        detail: str | None = None,
    ) -> Handoff:
        check_channel(channel)
        existing = await self.open_case(conversation_id)
        if existing:
            return existing
        case = Handoff(
            len(self.cases) + 1,
            conversation_id,
            msisdn,
            channel,
            language,
            reason,
            detail,
            HandoffStatus.WAITING,
            NOW,
            None,
        )
        self.cases.append(case)
        return case

    async def open_case(self, conversation_id: str) -> Handoff | None:
        return next(
            (
                c
                for c in self.cases
                if c.conversation_id == conversation_id and c.status != HandoffStatus.RESOLVED
            ),
            None,
        )

    async def last_resolved(
        self, conversation_id: str, within: dt.timedelta = RATING_WINDOW
    ) -> Handoff | None:
        since = self.clock() - within
        resolved = [
            (c.resolved_at, c.id, c)
            for c in self.cases
            if c.conversation_id == conversation_id
            and c.status == HandoffStatus.RESOLVED
            and c.resolved_at is not None
            and c.resolved_at >= since
        ]
        return max(resolved, key=lambda found: found[:2])[2] if resolved else None

    async def waiting(self) -> list[Handoff]:
        return [c for c in self.cases if c.status == HandoffStatus.WAITING]

    async def get(self, case_id: int) -> Handoff:
        if not 1 <= case_id <= len(self.cases):
            raise HandoffError(f"no case {case_id}")
        return self.cases[case_id - 1]

    async def open_cases(self) -> list[Handoff]:
        return [c for c in self.cases if c.status != HandoffStatus.RESOLVED]

    async def all_cases(self) -> list[Handoff]:
        return list(self.cases)

    async def mark_wait_notice(self, case_id: int) -> None:
        self.cases[case_id - 1] = replace(self.cases[case_id - 1], wait_notice_at=self.clock())

    async def request_callback(self, case_id: int) -> None:
        self.cases[case_id - 1] = replace(self.cases[case_id - 1], callback_requested=True)

    async def claim(self, case_id: int, agent: str) -> Handoff:
        return self._update(case_id, HandoffStatus.WAITING, HandoffStatus.CLAIMED, agent)

    async def resolve(self, case_id: int, agent: str, note: str) -> Handoff:
        return self._update(case_id, HandoffStatus.CLAIMED, HandoffStatus.RESOLVED, agent)

    def _update(
        self, case_id: int, before: HandoffStatus, after: HandoffStatus, agent: str
    ) -> Handoff:
        case = self.cases[case_id - 1]
        if case.status != before or (before == HandoffStatus.CLAIMED and case.claimed_by != agent):
            raise HandoffError(f"case {case_id} is {case.status.value}")
        stamp = "claimed_at" if after == HandoffStatus.CLAIMED else "resolved_at"
        changes: dict[str, Any] = {stamp: self.clock()}
        self.cases[case_id - 1] = replace(case, status=after, claimed_by=agent, **changes)
        return self.cases[case_id - 1]


class FakeRasaAdmin:
    """Rasa's HTTP API in memory: events per conversation, deliveries recorded."""

    def __init__(self) -> None:
        self.conversations: dict[str, list[dict[str, Any]]] = {}
        self.delivered: list[tuple[str, dict[str, Any]]] = []
        self.delivered_on: list[str] = []  # the output channel of each delivered event

    async def events(self, conversation_id: str) -> list[dict[str, Any]]:
        return list(self.conversations.get(conversation_id, []))

    async def append(
        self, conversation_id: str, events: list[dict[str, Any]], channel: str | None = None
    ) -> None:
        self.conversations.setdefault(conversation_id, []).extend(events)
        if channel:
            bot = [e for e in events if e.get("event") == "bot"]
            self.delivered += [(conversation_id, e) for e in bot]
            self.delivered_on += [channel] * len(bot)
