"""The agents' desk: everything the agent console does, behind one interface.

The console (``bot/console/``) is a thin web layer over ``HandoffDesk``;
``RasaHandoffDesk`` implements it with the handoff queue, Rasa's HTTP API
(transcripts, agent messages, resume) and the billing port (profiles).
"""

from __future__ import annotations

import abc
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from bot.handoff.queue import Handoff
from bot.notices.offer_responses import OfferCounts


class DeskError(Exception):
    """An agent action that cannot be done (case taken, not yours, already closed)."""


@dataclass(frozen=True)
class CaseSummary:
    """A line of the queue."""

    case: Handoff
    waiting_seconds: int
    urgent: bool  # a repeat complainant or an angry customer: shown first
    urgency_reason: str | None  # "repeat_complaint" | "angry" | None
    customer_name: str | None
    callback_requested: bool


# Cases of each kind the queue page shows at a time (its polls cost no more for a longer queue).
QUEUE_PAGE_SIZE = 20


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue: its cases, and how many there are in all."""

    summaries: list[CaseSummary]  # up to ``QUEUE_PAGE_SIZE`` waiting and as many claimed
    waiting_total: int
    claimed_total: int
    page: int = 1
    page_size: int = QUEUE_PAGE_SIZE

    @property
    def pages(self) -> int:
        """Pages of waiting cases (at least one)."""
        return max(1, -(-self.waiting_total // self.page_size))


@dataclass(frozen=True)
class TranscriptLine:
    """One message of the conversation."""

    speaker: str  # "customer" | "bot" | "agent"
    text: str
    time: dt.datetime


@dataclass(frozen=True)
class TicketLine:
    """An open complaint ticket of the customer."""

    ticket_id: str
    category: str
    status: str
    created_at: dt.datetime


@dataclass(frozen=True)
class CustomerProfile:
    """What the agent needs to know about the customer."""

    msisdn: str
    name: str
    language: str
    plan: str
    balance: str  # two decimals, yuan
    usage: str  # one line, e.g. "data 31.2/40.0 GB, voice 120/500 min, SMS 12/100"
    open_tickets: list[TicketLine] = field(default_factory=list)


@dataclass(frozen=True)
class CaseView:
    """The case page: why the bot handed over, who it is, and everything said so far."""

    summary: CaseSummary
    profile: CustomerProfile | None  # None for a number that is not a customer's
    transcript: list[TranscriptLine]


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    """Figures for the supervisor."""

    conversations: int
    handed_over: int
    self_service_rate: float  # conversations with no handoff / conversations
    by_reason: list[ReasonCount]
    average_wait_to_claim_seconds: float | None
    ratings: dict[str, int]  # "satisfied" | "neutral" | "unsatisfied" -> count
    satisfaction_rate: float | None  # satisfied / all ratings
    # data packs ordered (billing); None when billing could not say
    data_packs_today: int | None = None
    data_packs_month: int | None = None
    # Proactive notices sent, by kind (balance, data, bill)
    notices_sent: dict[str, int] = field(default_factory=dict)
    # Plan offers sent, accepted, declined, and the saving of those who switched
    offers: OfferCounts = field(default_factory=OfferCounts)
    # overage credits granted this month (billing): how many, and their total; None when
    # billing could not say
    credits_month: int | None = None
    credited_month: Decimal | None = None


class HandoffDesk(abc.ABC):
    """What an agent can see and do."""

    @abc.abstractmethod
    async def queue(self, page: int = 1) -> QueuePage:
        """A page of waiting cases (urgent first, then the longest waiting) and the oldest
        claimed ones; its cost does not grow with the queue's length."""

    @abc.abstractmethod
    async def case(self, case_id: int) -> CaseView:
        """One case with profile and transcript; raises ``DeskError`` if unknown."""

    @abc.abstractmethod
    async def claim(self, case_id: int, agent: str) -> None:
        """Take a waiting case; raises ``DeskError`` if another agent has it."""

    @abc.abstractmethod
    async def reply(self, case_id: int, agent: str, text: str) -> None:
        """Send the agent's message to the customer on their channel (claimer only)."""

    @abc.abstractmethod
    async def resolve(self, case_id: int, agent: str, note: str) -> None:
        """Close the case, give the conversation back to the bot, ask for a rating."""

    @abc.abstractmethod
    async def dashboard(self) -> Dashboard:
        """Conversations, self-service rate, handoffs by reason, wait, satisfaction."""
