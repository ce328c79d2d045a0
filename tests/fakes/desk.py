"""``FakeHandoffDesk``: the agent console's desk in memory, with the real desk's rules
(one claim, the claiming agent only), for the console's page tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from bot.handoff.desk import (
    QUEUE_PAGE_SIZE,
    CaseSummary,
    CaseView,
    CustomerProfile,
    Dashboard,
    DeskError,
    HandoffDesk,
    QueuePage,
    ReasonCount,
    TicketLine,
    TranscriptLine,
)
from bot.handoff.queue import Handoff, HandoffReason, HandoffStatus
from tests.fakes.clock import NOW


@dataclass
class FakeCase:
    """A case as the fake desk keeps it."""

    handoff: Handoff
    waiting_seconds: int
    urgent: bool = False
    urgency_reason: str | None = None
    customer_name: str | None = None
    callback_requested: bool = False
    profile: CustomerProfile | None = None
    transcript: list[TranscriptLine] = field(default_factory=list)


class FakeHandoffDesk(HandoffDesk):
    """The desk in memory, with the real desk's rules (claimer only, one claim)."""

    def __init__(self) -> None:
        self.cases: dict[int, FakeCase] = {}
        self.replies: list[tuple[int, str, str]] = []
        self.resolutions: list[tuple[int, str, str]] = []
        self.failure: Exception | None = None  # raised by every call when set
        self.board = Dashboard(
            conversations=10,
            handed_over=3,
            self_service_rate=0.7,
            by_reason=[ReasonCount("customer_request", 2), ReasonCount("repeated_fallback", 1)],
            average_wait_to_claim_seconds=95.0,
            ratings={"satisfied": 4, "neutral": 1, "unsatisfied": 1},
            satisfaction_rate=4 / 6,
        )

    def add(
        self,
        case_id: int,
        *,
        waiting_seconds: int = 60,
        status: HandoffStatus = HandoffStatus.WAITING,
        claimed_by: str | None = None,
        reason: HandoffReason = HandoffReason.CUSTOMER_REQUEST,
        msisdn: str | None = "+8613800000002",
        name: str | None = "李秀英",
        channel: str = "sms",
        language: str = "zh",
        **extra: Any,
    ) -> FakeCase:
        """Queue a case (``extra``: the other ``FakeCase`` fields)."""
        handoff = Handoff(
            case_id,
            f"conv-{case_id}",
            msisdn,
            channel,
            language,
            reason,
            None,
            status,
            NOW - dt.timedelta(seconds=waiting_seconds),
            claimed_by,
        )
        self.cases[case_id] = FakeCase(handoff, waiting_seconds, customer_name=name, **extra)
        return self.cases[case_id]

    def _check(self) -> None:
        if self.failure is not None:
            raise self.failure

    def _get(self, case_id: int) -> FakeCase:
        self._check()
        if case_id not in self.cases:
            raise DeskError(f"no case {case_id}")
        return self.cases[case_id]

    def _mine(self, case_id: int, agent: str) -> FakeCase:
        case = self._get(case_id)
        if case.handoff.status != HandoffStatus.CLAIMED or case.handoff.claimed_by != agent:
            raise DeskError(f"case {case_id} is not claimed by {agent}")
        return case

    @staticmethod
    def _summary(case: FakeCase) -> CaseSummary:
        return CaseSummary(
            case.handoff,
            case.waiting_seconds,
            case.urgent,
            case.urgency_reason,
            case.customer_name,
            case.callback_requested,
        )

    async def queue(self, page: int = 1) -> QueuePage:
        self._check()
        by_status = {
            status: [c for c in self.cases.values() if c.handoff.status == status]
            for status in (HandoffStatus.WAITING, HandoffStatus.CLAIMED)
        }
        waiting, claimed = by_status[HandoffStatus.WAITING], by_status[HandoffStatus.CLAIMED]
        start = (max(1, page) - 1) * QUEUE_PAGE_SIZE
        shown = waiting[start : start + QUEUE_PAGE_SIZE] + claimed[:QUEUE_PAGE_SIZE]
        return QueuePage(
            [self._summary(c) for c in shown], len(waiting), len(claimed), max(1, page)
        )

    async def case(self, case_id: int) -> CaseView:
        case = self._get(case_id)
        return CaseView(self._summary(case), case.profile, list(case.transcript))

    async def claim(self, case_id: int, agent: str) -> None:
        case = self._get(case_id)
        if case.handoff.status != HandoffStatus.WAITING:
            raise DeskError(f"case {case_id} is not waiting")
        case.handoff = replace(case.handoff, status=HandoffStatus.CLAIMED, claimed_by=agent)

    async def reply(self, case_id: int, agent: str, text: str) -> None:
        case = self._mine(case_id, agent)
        self.replies.append((case_id, agent, text))
        case.transcript.append(TranscriptLine("agent", text, NOW))

    async def resolve(self, case_id: int, agent: str, note: str) -> None:
        case = self._mine(case_id, agent)
        self.resolutions.append((case_id, agent, note))
        case.handoff = replace(case.handoff, status=HandoffStatus.RESOLVED)

    async def dashboard(self) -> Dashboard:
        self._check()
        return self.board


def demo_profile() -> CustomerProfile:
    """The second demo customer, as the desk describes her."""
    ticket = TicketLine("TK2611280001", "network", "open", NOW - dt.timedelta(days=1))
    return CustomerProfile(
        "+8613800000002",
        "李秀英",
        "zh",
        "长者关爱套餐",
        "156.00",
        "流量 3.1/10.0 GB，通话 210/300 分钟，短信 5/100",
        [ticket],
    )
