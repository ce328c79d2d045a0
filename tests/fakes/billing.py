"""``FakeBillingService``: the billing port in memory, built from the demo seed.

It behaves like ``bot.billing.sql.SqlBillingService`` (``tests/contracts`` checks
both): money and volumes to two decimal places, daily id sequences per kind
(``PC2611280001``, ``TK2611280001``), ages and stamps from ``clock``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from bot.billing.port import (
    OPEN_TICKET_STATUSES,
    BillingService,
    BillingUnavailable,
    ComplaintCategory,
    Credit,
    Customer,
    CustomerNotFound,
    CycleUsage,
    MonthlyUsage,
    OverageRates,
    Plan,
    PlanChangeOrder,
    PlanNotEligible,
    PlanNotFound,
    Subscription,
    SubscriptionNotFound,
    Ticket,
    TicketNotFound,
    TicketStatus,
    TicketUpdate,
)
from bot.billing.seed import history_month, load_seed
from bot.billing.ticket_policy import due_times
from tests.fakes.billing_credits import FakeCredits
from tests.fakes.billing_packs import FakeDataPacks
from tests.fakes.billing_tickets import FakeTicketWork
from tests.fakes.clock import NOW

SEED = Path(__file__).resolve().parents[2] / "data" / "billing" / "demo-customers.yml"
_CENT = Decimal("0.01")


def _d(value: object) -> Decimal:
    """A seed figure as the stub's ``Numeric(12, 2)`` columns give it back."""
    return Decimal(str(value)).quantize(_CENT)


def _next_id(prefix: str, now: dt.datetime, taken: Iterable[str]) -> str:
    """The next id of the day's sequence, as the SQL stub numbers it."""
    stem = f"{prefix}{now:%y%m%d}"
    return f"{stem}{sum(1 for i in taken if i.startswith(stem)) + 1:04d}"


class FakeBillingService(FakeCredits, FakeDataPacks, FakeTicketWork, BillingService):
    """The billing port in memory; ``down = True`` makes every call fail."""

    def __init__(self, seed: Path = SEED, clock: Callable[[], dt.datetime] = lambda: NOW) -> None:
        data = load_seed(seed)
        self.clock = clock
        self.plans = [
            Plan(
                p["code"],
                p["name_zh"],
                p["name_en"],
                _d(p["monthly_fee"]),
                _d(p["data_gb"]),
                p["voice_min"],
                p["sms"],
                p.get("min_age"),
            )
            for p in data["plans"]
        ]
        o = data["overage"]
        self.rates = OverageRates(_d(o["data_per_gb"]), _d(o["voice_per_min"]), _d(o["sms_each"]))
        self.customers: dict[str, Customer] = {}
        self.usage: dict[str, CycleUsage] = {}
        self.history: dict[str, list[MonthlyUsage]] = {}
        self.subs: dict[str, list[Subscription]] = {}
        for c in data["customers"]:
            n = c["msisdn"]
            self.customers[n] = Customer(
                n,
                c["name_zh"],
                c["name_en"],
                c["birth_year"],
                c["language"],
                c["plan"],
                _d(c["balance"]),
            )
            cur = c["current"]
            self.usage[n] = CycleUsage(
                _d(cur["data_used_gb"]), cur["voice_used_min"], cur["sms_used"]
            )
            self.history[n] = [
                MonthlyUsage(
                    history_month(m, clock().date()),
                    _d(m["data_gb"]),
                    m["voice_min"],
                    m["sms"],
                    _d(m["total_charge"]),
                )
                for m in c["usage_history"]
            ]
            self.subs[n] = [
                Subscription(s["code"], s["name_zh"], s["name_en"], _d(s["monthly_fee"]))
                for s in c.get("subscriptions", [])
            ]
        self.orders: list[PlanChangeOrder] = []
        self.cancelled: list[tuple[str, str]] = []
        self.ticket_list: list[Ticket] = []
        self.updates: list[TicketUpdate] = []
        self.credit_list: list[Credit] = []
        self.down = False
        self._load_packs(data)  # data packs (tests/fakes/billing_packs.py)

    def _check(self, msisdn: str | None = None) -> Customer | None:
        if self.down:
            raise BillingUnavailable("fake billing is down")
        if msisdn is None:
            return None
        if msisdn not in self.customers:
            raise CustomerNotFound(msisdn)
        return self.customers[msisdn]

    async def get_customer(self, msisdn: str) -> Customer:
        customer = self._check(msisdn)
        assert customer is not None
        return customer

    async def list_plans(self) -> list[Plan]:
        self._check()
        return sorted(self.plans, key=lambda p: p.monthly_fee)

    async def overage_rates(self) -> OverageRates:
        self._check()
        return self.rates

    async def current_usage(self, msisdn: str) -> CycleUsage:
        self._check(msisdn)
        return self.usage.get(msisdn, CycleUsage(Decimal("0.00"), 0, 0))  # like the stub

    async def usage_history(self, msisdn: str, months: int = 3) -> list[MonthlyUsage]:
        self._check(msisdn)
        if months <= 0:
            return []
        return sorted(self.history[msisdn], key=lambda m: m.month)[-months:]

    async def subscriptions(self, msisdn: str) -> list[Subscription]:
        self._check(msisdn)
        return sorted(self.subs[msisdn], key=lambda s: s.code)

    async def unsubscribe(self, msisdn: str, code: str) -> Subscription:
        self._check(msisdn)
        for sub in self.subs[msisdn]:
            if sub.code == code.upper():
                self.subs[msisdn].remove(sub)
                self.cancelled.append((msisdn, sub.code))
                return sub
        raise SubscriptionNotFound(f"no active subscription {code}")

    async def place_plan_change(
        self, msisdn: str, plan_code: str, effective_date: dt.date
    ) -> PlanChangeOrder:
        now = self.clock()
        customer = await self.get_customer(msisdn)
        plan = next((p for p in self.plans if p.code == plan_code), None)
        if plan is None:
            raise PlanNotFound(f"no plan {plan_code}")
        if plan.min_age is not None and customer.age(now.date()) < plan.min_age:
            raise PlanNotEligible(f"{plan_code} needs age {plan.min_age} or over")
        order = PlanChangeOrder(
            _next_id("PC", now, (o.order_id for o in self.orders)),
            msisdn,
            customer.plan_code,
            plan_code,
            effective_date,
            now,
        )
        self.orders.append(order)
        return order

    async def create_ticket(
        self,
        msisdn: str,
        category: ComplaintCategory,
        description: str,
        location: str | None,
        escalated: bool,
    ) -> Ticket:
        now = self.clock()
        self._check(msisdn)
        ticket = Ticket(
            _next_id("TK", now, (t.ticket_id for t in self.ticket_list)),
            msisdn,
            category,
            description,
            location,
            TicketStatus.OPEN,
            escalated,
            now,
            due=due_times(category, escalated, now),
        )
        self.ticket_list.append(ticket)
        return ticket

    async def tickets(self, msisdn: str, open_only: bool = False) -> list[Ticket]:
        self._check(msisdn)
        found = [t for t in self.ticket_list if t.msisdn == msisdn]
        if open_only:
            found = [t for t in found if t.status in OPEN_TICKET_STATUSES]
        return sorted(found, key=lambda t: (t.created_at, t.ticket_id), reverse=True)

    async def get_ticket(self, msisdn: str, ticket_id: str) -> Ticket:
        self._check()  # like the stub: a stranger's number finds no ticket
        for ticket in self.ticket_list:
            if ticket.ticket_id == ticket_id.upper() and ticket.msisdn == msisdn:
                return ticket
        raise TicketNotFound(f"no ticket {ticket_id} for this customer")

    # --- proactive notices (the notice scheduler) ---
    async def customer_numbers(self) -> list[str]:
        self._check()
        return sorted(self.customers)
