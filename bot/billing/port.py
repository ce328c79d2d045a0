"""The billing port: what actions may ask of the operator's billing system.

Actions depend only on this module. The SQLAlchemy stub in ``sql.py`` is one
adapter; a real billing API is added as another class implementing
``BillingService``.
"""

from __future__ import annotations

import abc
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from bot.domain.numbers import mask_msisdn


class BillingError(Exception):
    """Base class of every error the billing port raises."""


class CustomerNotFound(BillingError):
    """The number does not belong to a customer of the operator."""

    def __init__(self, msisdn: str) -> None:
        super().__init__(f"no customer with number {mask_msisdn(msisdn)}")
        self.msisdn = msisdn


class PlanNotFound(BillingError):
    """No plan has that code."""


class PlanNotEligible(BillingError):
    """The customer may not take the plan (e.g. an age limit)."""


class SubscriptionNotFound(BillingError):
    """The customer has no active subscription with that code."""


class TicketNotFound(BillingError):
    """No complaint ticket has that id (for that customer)."""


class BillingUnavailable(BillingError):
    """The billing system could not be reached or failed."""


# ticket work: an agent's update the ticket cannot take
class TicketUpdateRefused(BillingError):
    """The ticket cannot take that update (closed already, no note, nothing to record)."""


# --- data packs (add-on data) ---
class DataPackNotFound(BillingError):
    """No data pack on sale has that code."""


class CustomerInArrears(BillingError):
    """The customer owes money (balance below zero): nothing can be ordered until a top-up."""

    def __init__(self, balance: Decimal) -> None:
        super().__init__(f"the account is in arrears ({balance} yuan)")
        self.balance = balance


class BalanceTooLow(BillingError):
    """The balance does not cover the price of what is ordered (charged to the balance)."""

    def __init__(self, balance: Decimal, price: Decimal) -> None:
        super().__init__(f"the balance {balance} yuan does not cover {price} yuan")
        self.balance = balance
        self.price = price


class ComplaintCategory(str, Enum):
    """The complaint categories a customer can choose from."""

    NETWORK = "network"
    BILLING = "billing"
    BROADBAND = "broadband"
    SERVICE = "service"
    SPAM = "spam"
    OTHER = "other"


class TicketStatus(str, Enum):
    """Life cycle of a complaint ticket."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"  # ticket work: closed by an agent with a note


# ticket work: the statuses of a ticket still being worked (the others are done)
OPEN_TICKET_STATUSES = frozenset({TicketStatus.OPEN, TicketStatus.IN_PROGRESS})


@dataclass(frozen=True)
class Plan:
    """A tariff plan and its monthly allowances."""

    code: str
    name_zh: str
    name_en: str
    monthly_fee: Decimal
    data_gb: Decimal
    voice_min: int
    sms: int
    min_age: int | None = None

    def name(self, language: str) -> str:
        """The plan's name in ``language`` ("zh" or "en")."""
        return self.name_zh if language == "zh" else self.name_en


@dataclass(frozen=True)
class OverageRates:
    """Charges for usage beyond the plan's allowance."""

    data_per_gb: Decimal
    voice_per_min: Decimal
    sms_each: Decimal


@dataclass(frozen=True)
class Customer:
    """A subscriber's profile."""

    msisdn: str
    name_zh: str
    name_en: str
    birth_year: int
    language: str
    plan_code: str
    balance: Decimal

    def name(self, language: str) -> str:
        """The customer's name in ``language``."""
        return self.name_zh if language == "zh" else self.name_en

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
class Subscription:
    """A value-added service the customer pays for monthly."""

    code: str
    name_zh: str
    name_en: str
    monthly_fee: Decimal

    def name(self, language: str) -> str:
        """The service's name in ``language``."""
        return self.name_zh if language == "zh" else self.name_en


@dataclass(frozen=True)
class PlanChangeOrder:
    """A recorded plan change, effective from the first day of a month."""

    order_id: str
    msisdn: str
    from_plan: str
    to_plan: str
    effective_date: dt.date
    created_at: dt.datetime


# --- ticket work: due times and agents' updates of complaint tickets ---


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
    # ticket work: filled in by every adapter
    due: TicketDue | None = None
    latest_update: TicketUpdate | None = None


# --- data packs (add-on data) ---
@dataclass(frozen=True)
class DataPack:
    """Add-on data on sale: a one-off price, valid to the end of the calendar month."""

    code: str
    name_zh: str
    name_en: str
    data_gb: Decimal
    price: Decimal

    def name(self, language: str) -> str:
        """The pack's name in ``language``."""
        return self.name_zh if language == "zh" else self.name_en


@dataclass(frozen=True)
class DataPackOrder:
    """A data pack bought: its price is taken from the balance when ordered."""

    order_id: str
    msisdn: str
    pack: DataPack  # as sold (data and price of the order)
    valid_until: dt.date  # the last day of the month it was ordered in
    created_at: dt.datetime


class BillingService(abc.ABC):
    """What the assistant needs from the operator's billing system."""

    @abc.abstractmethod
    async def get_customer(self, msisdn: str) -> Customer:
        """The customer with this number; raises ``CustomerNotFound``."""

    @abc.abstractmethod
    async def list_plans(self) -> list[Plan]:
        """Every plan on sale, cheapest first."""

    @abc.abstractmethod
    async def overage_rates(self) -> OverageRates:
        """The operator's overage rates."""

    @abc.abstractmethod
    async def current_usage(self, msisdn: str) -> CycleUsage:
        """Usage in the cycle in progress."""

    @abc.abstractmethod
    async def usage_history(self, msisdn: str, months: int = 3) -> list[MonthlyUsage]:
        """The most recent completed months, oldest first."""

    @abc.abstractmethod
    async def subscriptions(self, msisdn: str) -> list[Subscription]:
        """Active value-added subscriptions."""

    @abc.abstractmethod
    async def unsubscribe(self, msisdn: str, code: str) -> Subscription:
        """End a subscription from now on; raises ``SubscriptionNotFound``."""

    @abc.abstractmethod
    async def place_plan_change(
        self, msisdn: str, plan_code: str, effective_date: dt.date
    ) -> PlanChangeOrder:
        """Record a plan change order; raises ``PlanNotFound``/``PlanNotEligible``."""

    @abc.abstractmethod
    async def create_ticket(
        self,
        msisdn: str,
        category: ComplaintCategory,
        description: str,
        location: str | None,
        escalated: bool,
    ) -> Ticket:
        """Open a complaint ticket."""

    @abc.abstractmethod
    async def tickets(self, msisdn: str, open_only: bool = False) -> list[Ticket]:
        """The customer's tickets, newest first."""

    @abc.abstractmethod
    async def get_ticket(self, msisdn: str, ticket_id: str) -> Ticket:
        """One of the customer's tickets; raises ``TicketNotFound``."""

    # --- ticket work: what agents do with tickets (bot.billing.ticket_policy) ---

    @abc.abstractmethod
    async def open_tickets(self) -> list[Ticket]:
        """Every customer's tickets still being worked, the earliest pending deadline first."""

    @abc.abstractmethod
    async def find_ticket(self, ticket_id: str) -> Ticket:
        """Any customer's ticket (agents only); raises ``TicketNotFound``."""

    @abc.abstractmethod
    async def ticket_updates(self, ticket_id: str) -> list[TicketUpdate]:
        """The ticket's updates, oldest first; raises ``TicketNotFound``."""

    @abc.abstractmethod
    async def update_ticket(
        self, ticket_id: str, author: str, text: str, status: TicketStatus | None = None
    ) -> Ticket:
        """Record an agent's update (and status change) as ``ticket_policy.checked_update``
        allows; raises ``TicketNotFound`` or ``TicketUpdateRefused``."""

    # --- data packs (add-on data) ---
    @abc.abstractmethod
    async def list_data_packs(self) -> list[DataPack]:
        """Every data pack on sale, cheapest first."""

    @abc.abstractmethod
    async def order_data_pack(self, msisdn: str, code: str) -> DataPackOrder:
        """Buy a pack, its price taken from the balance; raises ``DataPackNotFound``,
        ``CustomerInArrears`` (balance below zero) or ``BalanceTooLow``."""

    @abc.abstractmethod
    async def active_data_packs(self, msisdn: str) -> list[DataPackOrder]:
        """The customer's packs still valid today, oldest first."""

    @abc.abstractmethod
    async def data_pack_sales(self, since: dt.datetime) -> int:
        """How many packs were ordered (by anyone) from ``since`` on."""

    # --- proactive notices (the notice scheduler) ---
    @abc.abstractmethod
    async def customer_numbers(self) -> list[str]:
        """The number of every customer, in order (the notice scheduler walks them)."""
