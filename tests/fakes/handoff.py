"""``FakeHandoffQueue``: handoff cases in a list, behaving like ``SqlHandoffQueue``.

``tests/contracts`` checks both: stamps from ``clock``, lists oldest first (by
creation time, then id), ``HandoffError`` for an unknown case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

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
    queue_order,
)
from tests.fakes.clock import NOW


class FakeHandoffQueue(HandoffQueue):
    """Handoff cases in a list (case ``n`` at index ``n - 1``); ``clock`` stamps them."""

    def __init__(
        self, clock: Callable[[], dt.datetime] = lambda: NOW, open_per_client: int = OPEN_PER_CLIENT
    ) -> None:
        self.cases: list[Handoff] = []
        self.clock = clock
        self.open_per_client = open_per_client

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
        existing = await self.open_case(conversation_id)
        if existing:
            return existing
        if client is not None:
            open_cases = await self.open_cases()
            if sum(c.client == client for c in open_cases) >= self.open_per_client:
                raise HandoffLimitReached(f"{self.open_per_client} cases open for one client")
        case = Handoff(
            len(self.cases) + 1,
            conversation_id,
            msisdn,
            channel,
            language,
            reason,
            detail,
            HandoffStatus.WAITING,
            self.clock(),
            None,
            client=client,
        )
        self.cases.append(case)
        return case

    async def open_case(self, conversation_id: str) -> Handoff | None:
        found = [
            c
            for c in self.cases
            if c.conversation_id == conversation_id and c.status != HandoffStatus.RESOLVED
        ]
        return max(found, key=lambda c: c.id) if found else None

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
        return self._oldest_first(c for c in self.cases if c.status == HandoffStatus.WAITING)

    async def get(self, case_id: int) -> Handoff:
        return self.cases[self._index(case_id)]

    async def open_cases(self) -> list[Handoff]:
        return self._oldest_first(c for c in self.cases if c.status != HandoffStatus.RESOLVED)

    async def open_page(self, limit: int, offset: int = 0) -> OpenPage:
        waiting = sorted(
            (c for c in self.cases if c.status == HandoffStatus.WAITING), key=queue_order
        )
        claimed = self._oldest_first(c for c in self.cases if c.status == HandoffStatus.CLAIMED)
        return OpenPage(
            waiting[offset : offset + limit], claimed[:limit], len(waiting), len(claimed)
        )

    async def all_cases(self) -> list[Handoff]:
        return self._oldest_first(self.cases)

    async def mark_wait_notice(self, case_id: int) -> None:
        self._set(case_id, wait_notice_at=self.clock())

    async def request_callback(self, case_id: int) -> None:
        self._set(case_id, callback_requested=True)

    async def claim(self, case_id: int, agent: str) -> Handoff:
        index = self._index(case_id, f"case {case_id} is not waiting")
        case = self.cases[index]
        if case.status != HandoffStatus.WAITING:
            raise HandoffError(f"case {case_id} is not waiting")
        self.cases[index] = replace(
            case, status=HandoffStatus.CLAIMED, claimed_by=agent, claimed_at=self.clock()
        )
        return self.cases[index]

    async def resolve(self, case_id: int, agent: str, note: str) -> Handoff:
        refused = f"case {case_id} is not claimed by {agent}"
        index = self._index(case_id, refused)
        case = self.cases[index]
        if case.status != HandoffStatus.CLAIMED or case.claimed_by != agent:
            raise HandoffError(refused)
        self.cases[index] = replace(case, status=HandoffStatus.RESOLVED, resolved_at=self.clock())
        return self.cases[index]

    def _index(self, case_id: int, message: str | None = None) -> int:
        for index, case in enumerate(self.cases):
            if case.id == case_id:
                return index
        raise HandoffError(message or f"no case {case_id}")

    def _set(self, case_id: int, **changes: Any) -> None:
        """Change a case; like the SQL ``UPDATE``, nothing happens to an unknown one."""
        try:
            index = self._index(case_id)
        except HandoffError:
            return
        self.cases[index] = replace(self.cases[index], **changes)

    @staticmethod
    def _oldest_first(cases: Any) -> list[Handoff]:
        return sorted(cases, key=lambda c: (c.created_at, c.id))
