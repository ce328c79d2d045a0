"""The billing port: what actions may ask of the operator's billing system.

Actions depend only on this module. The SQLAlchemy stub in ``sql.py`` is one
adapter; a real billing API is added as another class implementing
``BillingService``. The records it speaks in live in the domain
(``bot.domain.billing_records``) and its errors in ``errors.py``; both are
handed on from here, so adapters and actions import the port alone.
"""

from __future__ import annotations

import abc
import datetime as dt
from decimal import Decimal

from bot.billing.errors import (
    BalanceTooLow,
    BillingError,
    BillingUnavailable,
    CreditRefused,
    CustomerInArrears,
    CustomerNotFound,
    DataPackNotFound,
    PlanNotEligible,
    PlanNotFound,
    SubscriptionNotFound,
    TicketNotFound,
    TicketUpdateRefused,
)
from bot.domain.billing_records import (
    OPEN_TICKET_STATUSES,
    ComplaintCategory,
    Credit,
    Customer,
    CycleUsage,
    DataPack,
    DataPackOrder,
    MonthlyUsage,
    OverageRates,
    Plan,
    PlanChangeOrder,
    Subscription,
    Ticket,
    TicketDue,
    TicketStatus,
    TicketUpdate,
)

__all__ = [
    "OPEN_TICKET_STATUSES",
    "BalanceTooLow",
    "BillingError",
    "BillingService",
    "BillingUnavailable",
    "ComplaintCategory",
    "Credit",
    "CreditRefused",
    "Customer",
    "CustomerInArrears",
    "CustomerNotFound",
    "CycleUsage",
    "DataPack",
    "DataPackNotFound",
    "DataPackOrder",
    "MonthlyUsage",
    "OverageRates",
    "Plan",
    "PlanChangeOrder",
    "PlanNotEligible",
    "PlanNotFound",
    "Subscription",
    "SubscriptionNotFound",
    "Ticket",
    "TicketDue",
    "TicketNotFound",
    "TicketStatus",
    "TicketUpdate",
    "TicketUpdateRefused",
]


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

    # --- what agents do with tickets (bot.billing.ticket_policy) ---

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

    # --- credits: overage credited against a new plan (bot.billing.adjustments) ---
    @abc.abstractmethod
    async def plan_changes(self, msisdn: str) -> list[PlanChangeOrder]:
        """The customer's plan change orders, newest first."""

    @abc.abstractmethod
    async def credit_account(self, msisdn: str, amount: Decimal, reference: str) -> Credit:
        """Add ``amount`` (above zero) to the balance, once per ``reference``: the same
        reference again returns the first credit and credits nothing more."""

    @abc.abstractmethod
    async def credits(self, msisdn: str) -> list[Credit]:
        """The customer's credits, newest first."""

    @abc.abstractmethod
    async def credits_granted(self, since: dt.datetime) -> tuple[int, Decimal]:
        """How many credits (to anyone) were granted from ``since`` on, and their total."""
