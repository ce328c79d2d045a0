"""In-memory fakes of the billing port and the handoff queue, built from the demo seed."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool

from bot.billing.port import (
    BillingService,
    BillingUnavailable,
    ComplaintCategory,
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
)
from bot.billing.seed import load_seed
from bot.channels.sms.outbound import SmsSender, SmsSendError
from bot.handoff.stats import StatsStore
from bot.state.proposals import ProposalStore
from bot.state.schema import migrate
from bot.verification.service import PhoneVerifier
from bot.wiring import Services
from tests.fakes_handoff import NOW, FakeHandoffQueue, FakeRasaAdmin

__all__ = ["NOW", "FakeBillingService", "FakeHandoffQueue", "FakeRasaAdmin", "FakeSmsSender"]

SEED = Path(__file__).resolve().parents[1] / "data" / "billing" / "demo-customers.yml"
TODAY = dt.date(2026, 11, 28)


def _d(value: object) -> Decimal:
    return Decimal(str(value))


class FakeBillingService(BillingService):
    """The billing port in memory; ``down = True`` makes every call fail."""

    def __init__(self, seed: Path = SEED) -> None:
        data = load_seed(seed)
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
                    m["month"], _d(m["data_gb"]), m["voice_min"], m["sms"], _d(m["total_charge"])
                )
                for m in c["usage_history"]
            ]
            self.subs[n] = [
                Subscription(s["code"], s["name_zh"], s["name_en"], _d(s["monthly_fee"]))
                for s in c["subscriptions"]
            ]
        self.orders: list[PlanChangeOrder] = []
        self.cancelled: list[tuple[str, str]] = []
        self.ticket_list: list[Ticket] = []
        self.down = False
        self._seq = itertools.count(1)

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
        return self.usage[msisdn]

    async def usage_history(self, msisdn: str, months: int = 3) -> list[MonthlyUsage]:
        self._check(msisdn)
        return self.history[msisdn][-months:]

    async def subscriptions(self, msisdn: str) -> list[Subscription]:
        self._check(msisdn)
        return list(self.subs[msisdn])

    async def unsubscribe(self, msisdn: str, code: str) -> Subscription:
        self._check(msisdn)
        for sub in self.subs[msisdn]:
            if sub.code == code.upper():
                self.subs[msisdn].remove(sub)
                self.cancelled.append((msisdn, sub.code))
                return sub
        raise SubscriptionNotFound(code)

    async def place_plan_change(
        self, msisdn: str, plan_code: str, effective_date: dt.date
    ) -> PlanChangeOrder:
        customer = await self.get_customer(msisdn)
        plan = next((p for p in self.plans if p.code == plan_code), None)
        if plan is None:
            raise PlanNotFound(plan_code)
        if plan.min_age is not None and customer.age(TODAY) < plan.min_age:
            raise PlanNotEligible(plan_code)
        order = PlanChangeOrder(
            f"PC261128{next(self._seq):04d}",
            msisdn,
            customer.plan_code,
            plan_code,
            effective_date,
            NOW,
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
        self._check(msisdn)
        ticket = Ticket(
            f"TK261128{next(self._seq):04d}",
            msisdn,
            category,
            description,
            location,
            TicketStatus.OPEN,
            escalated,
            NOW,
        )
        self.ticket_list.append(ticket)
        return ticket

    async def tickets(self, msisdn: str, open_only: bool = False) -> list[Ticket]:
        self._check(msisdn)
        found = [t for t in reversed(self.ticket_list) if t.msisdn == msisdn]
        return [t for t in found if t.status != TicketStatus.RESOLVED] if open_only else found

    async def get_ticket(self, msisdn: str, ticket_id: str) -> Ticket:
        self._check(msisdn)
        for ticket in self.ticket_list:
            if ticket.ticket_id == ticket_id.upper() and ticket.msisdn == msisdn:
                return ticket
        raise TicketNotFound(ticket_id)


class FakeSmsSender(SmsSender):
    """Keeps the messages it was asked to send; ``down = True`` makes it fail."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.down = False

    async def send(self, to: str, text: str) -> None:
        if self.down:
            raise SmsSendError("fake gateway is down")
        self.sent.append((to, text))


def memory_engine() -> Engine:
    """An in-memory SQLite database shared by every thread of the test."""
    engine = create_engine(
        "sqlite://", future=True, poolclass=StaticPool,
        connect_args={"check_same_thread": False},
    )  # fmt: skip
    migrate(engine)
    return engine


def fake_services(sms: FakeSmsSender | None = None) -> Services:
    """Fakes wired like the real services (verification on an in-memory database)."""
    engine = memory_engine()
    verifier = PhoneVerifier(engine, sms or FakeSmsSender(), pepper="test-pepper")
    return Services(
        billing=FakeBillingService(),
        handoff=FakeHandoffQueue(),
        verification=verifier,
        stats=StatsStore(engine),
        proposals=ProposalStore(engine),
    )
