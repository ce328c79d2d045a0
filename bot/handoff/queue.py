"""The handoff queue: the interface actions and the agent console share (its SQL store is
``bot.handoff.queue_sql``).

Actions call ``create`` when the bot hands a conversation over (and pause it); the
agent console (``bot/console``, through ``bot.handoff.desk_rasa``) lists the open
cases, ``claim``s one and ``resolve``s it, then resumes the conversation in Rasa on
the channel the case was opened on. The case's rows are ``HandoffRow`` in
``bot.state.tables``.
"""

from __future__ import annotations

import abc
import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from bot.domain.ids import CHANNELS

T = TypeVar("T")

# How long after a case is resolved the customer may still rate it.
RATING_WINDOW = dt.timedelta(hours=24)
# Open cases one client address (a web-chat visitor's) may have at a time.
OPEN_PER_CLIENT = 3


class HandoffReason(str, Enum):
    """Why the bot handed the conversation to a person."""

    CUSTOMER_REQUEST = "customer_request"
    REPEATED_FALLBACK = "repeated_fallback"
    COMPLAINT_ESCALATION = "complaint_escalation"
    SALES = "sales"  # something the bot cannot sell or do (broadband, SIM, porting, ...)


class HandoffStatus(str, Enum):
    """Life cycle of a handoff case."""

    WAITING = "waiting"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


class HandoffError(Exception):
    """A handoff case cannot be changed as asked."""


class HandoffLimitReached(HandoffError):
    """The client address already has as many open cases as it may."""


@dataclass(frozen=True)
class Handoff:
    """A conversation waiting for, or handled by, a human agent."""

    id: int
    conversation_id: str
    msisdn: str | None
    channel: str
    language: str
    reason: HandoffReason
    detail: str | None
    status: HandoffStatus
    created_at: dt.datetime
    claimed_by: str | None
    claimed_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    wait_notice_at: dt.datetime | None = None
    callback_requested: bool = False
    client: str | None = None  # the address a web chat came from (signed by the channel)


@dataclass(frozen=True)
class OpenPage:
    """One page of the open cases and how many there are in all."""

    waiting: list[Handoff]  # urgent by reason (complaint escalations) first, then oldest
    claimed: list[Handoff]  # oldest first
    waiting_total: int
    claimed_total: int


class HandoffQueue(abc.ABC):
    """Cases handed over to human agents."""

    @abc.abstractmethod
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
        """Queue a case, or return the conversation's case that is still open.

        ``channel`` is where agent replies go: it must be one of ``CHANNELS``,
        else ``HandoffError``. A ``client`` address with ``OPEN_PER_CLIENT`` (or the
        queue's own limit) open cases gets ``HandoffLimitReached`` instead of a new one.
        """

    @abc.abstractmethod
    async def last_resolved(
        self, conversation_id: str, within: dt.timedelta = RATING_WINDOW
    ) -> Handoff | None:
        """The conversation's most recently resolved case, if resolved within ``within``:
        the case a satisfaction rating is for."""

    @abc.abstractmethod
    async def open_case(self, conversation_id: str) -> Handoff | None:
        """The conversation's waiting or claimed case, if any."""

    @abc.abstractmethod
    async def waiting(self) -> list[Handoff]:
        """Cases no agent has claimed yet, oldest first."""

    @abc.abstractmethod
    async def get(self, case_id: int) -> Handoff:
        """One case; raises ``HandoffError`` if there is none."""

    @abc.abstractmethod
    async def open_cases(self) -> list[Handoff]:
        """Waiting and claimed cases, oldest first."""

    @abc.abstractmethod
    async def open_page(self, limit: int, offset: int = 0) -> OpenPage:
        """``limit`` waiting cases from ``offset`` (``queue_order``), the ``limit`` oldest
        claimed ones, and the totals: a bounded amount of work whatever the queue's length."""

    @abc.abstractmethod
    async def all_cases(self) -> list[Handoff]:
        """Every case, for the figures."""

    @abc.abstractmethod
    async def mark_wait_notice(self, case_id: int) -> None:
        """Record that the customer was told the expected wait."""

    @abc.abstractmethod
    async def request_callback(self, case_id: int) -> None:
        """Record that the customer asked to be called back."""

    @abc.abstractmethod
    async def claim(self, case_id: int, agent: str) -> Handoff:
        """Give a waiting case to ``agent``; raises ``HandoffError`` if taken."""

    @abc.abstractmethod
    async def resolve(self, case_id: int, agent: str, note: str) -> Handoff:
        """Close a case claimed by ``agent``."""


def check_channel(channel: str) -> None:
    """Raise ``HandoffError`` unless agent replies could be delivered on ``channel``."""
    if channel not in CHANNELS:
        raise HandoffError(f"no channel {channel[:32]!r} to deliver agent replies on")


def queue_order(case: Handoff) -> tuple[bool, dt.datetime, int]:
    """The order of waiting cases in ``open_page``: complaint escalations, then the oldest."""
    return (case.reason != HandoffReason.COMPLAINT_ESCALATION, case.created_at, case.id)
