"""What the billing port speaks in: plans, customers, usage, subscriptions, orders,
tickets and data packs (``bot.billing.port`` hands them on to its adapters and actions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum


class ComplaintCategory(str, Enum):
    """The complaint categories a customer can choose from."""

    NETWORK = "network"
    BILLING = "billing"
    BROADBAND = "broadband"
    SERVICE = "service"
    SPAM = "spam"
    OTHER = "other"
    # filed by the assistant, never chosen in the complaint form (actions/overage_credit.py)
    ADJUSTMENT = "adjustment"  # a billing adjustment: overage credited against a new plan


class TicketStatus(str, Enum):
    """Life cycle of a complaint ticket."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"  # closed by an agent with a note


# The statuses of a ticket still being worked (the others are done)
OPEN_TICKET_STATUSES = frozenset({TicketStatus.OPEN, TicketStatus.IN_PROGRESS})


class Bilingual:
    """A record named in both languages (``name_zh``, ``name_en``)."""

    name_zh: str
    name_en: str

    def name(self, language: str) -> str:
        """The name in ``language`` ("zh" or "en")."""
        return self.name_zh if language == "zh" else self.name_en


@dataclass(frozen=True)
class Plan(Bilingual):
    """A tariff plan and its monthly allowances."""

    code: str
    name_zh: str
    name_en: str
    monthly_fee: Decimal
    data_gb: Decimal
    voice_min: int
    sms: int
    min_age: int | None = None


@dataclass(frozen=True)
class OverageRates:
    """Charges for usage beyond the plan's allowance."""

    data_per_gb: Decimal
    voice_per_min: Decimal
    sms_each: Decimal


@dataclass(frozen=True)
class Customer(Bilingual):
    """A subscriber's profile."""

    msisdn: str
    name_zh: str
    name_en: str
    birth_year: int
    language: str
    plan_code: str
    balance: Decimal

    def age(self, today: dt.date) -> int:
        """Age in years as the billing system counts it (by birth year)."""
        return today.year - self.birth_year


@dataclass(frozen=True)
class CycleUsage:
    """Usage so far in the billing cycle in progress (a calendar month)."""

    data_used_gb: Decimal
    voice_used_min: int
    sms_used: int


@dataclass(frozen=True)
class MonthlyUsage:
    """Usage and total charge of one completed month."""

    month: str
    data_gb: Decimal
    voice_min: int
    sms: int
    total_charge: Decimal


@dataclass(frozen=True)
class Subscription(Bilingual):
    """A value-added service the customer pays for monthly."""

    code: str
    name_zh: str
    name_en: str
    monthly_fee: Decimal


@dataclass(frozen=True)
class PlanChangeOrder:
    """A recorded plan change, effective from the first day of a month."""

    order_id: str
    msisdn: str
    from_plan: str
    to_plan: str
    effective_date: dt.date
    created_at: dt.datetime


# --- due times and agents' updates of complaint tickets ---


@dataclass(frozen=True)
class TicketDue:
    """When the customer must first be contacted, and the ticket resolved."""

    first_contact: dt.datetime
    resolution: dt.datetime


@dataclass(frozen=True)
class TicketUpdate:
    """An agent's update of a ticket: what the customer is told, and the status it set."""

    ticket_id: str
    author: str
    at: dt.datetime
    text: str
    status: TicketStatus | None  # None: a note, the status stayed


@dataclass(frozen=True)
class Ticket:
    """A complaint ticket."""

    ticket_id: str
    msisdn: str
    category: ComplaintCategory
    description: str
    location: str | None
    status: TicketStatus
    escalated: bool
    created_at: dt.datetime
    # Filled in by every adapter
    due: TicketDue | None = None
    latest_update: TicketUpdate | None = None


# --- data packs (add-on data) ---
@dataclass(frozen=True)
class DataPack(Bilingual):
    """Add-on data on sale: a one-off price, valid to the end of the calendar month."""

    code: str
    name_zh: str
    name_en: str
    data_gb: Decimal
    price: Decimal


@dataclass(frozen=True)
class DataPackOrder:
    """A data pack bought: its price is taken from the balance when ordered."""

    order_id: str
    msisdn: str
    pack: DataPack  # as sold (data and price of the order)
    valid_until: dt.date  # the last day of the month it was ordered in
    created_at: dt.datetime


# --- credits: billing adjustments an agent approved (bot.billing.adjustments) ---
@dataclass(frozen=True)
class Credit:
    """Money added to a customer's balance, once per ``reference`` (e.g. a ticket id)."""

    credit_id: str
    msisdn: str
    amount: Decimal
    reference: str
    created_at: dt.datetime
