"""The billing stub: ``BillingService`` on SQLAlchemy (SQLite or PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.billing import (
    sql_packs,
    sql_tickets,
)
from bot.billing.calendar import month_of
from bot.billing.models import (
    CustomerRow,
    CycleUsageRow,
    DataPackOrderRow,
    OverageRow,
    PlanChangeOrderRow,
    PlanRow,
    SubscriptionRow,
    TicketRow,
    UsageHistoryRow,
)
from bot.billing.port import (
    BillingService,
    BillingUnavailable,
    ComplaintCategory,
    Customer,
    CycleUsage,
    DataPack,
    DataPackOrder,
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
from bot.billing.rows import customer_from_row, plan_from_row
from bot.billing.sql_calendar import close_months
from bot.billing.sql_common import customer_row, next_id, retry_on_conflict
from bot.billing.sql_credits import SqlCredits  # the work is in sql_credits.py
from bot.storage.db import in_session

T = TypeVar("T")


class SqlBillingService(SqlCredits, BillingService):
    """Billing on a relational database, used as the stub of the real system."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        timeout: float = 3.0,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._timeout = timeout
        self._numbering = threading.Lock()  # see _retry_on_conflict
        self._cycle: str | None = None  # the month this instance saw closed up to

    async def _run(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a session (months that ended are closed first: ``sql_calendar``);
        a failure or a call slower than the timeout is ``BillingUnavailable``."""
        try:
            today = self._clock().date()
            if self._cycle != (month := month_of(today)):
                await asyncio.wait_for(in_session(self._engine, partial(close_months, today)), 30.0)
                self._cycle = month
            return await asyncio.wait_for(in_session(self._engine, work), self._timeout)
        except OperationalError as exc:
            raise BillingUnavailable(str(exc.orig)) from exc
        except asyncio.TimeoutError as exc:
            raise BillingUnavailable(f"no answer within {self._timeout} s") from exc

    async def get_customer(self, msisdn: str) -> Customer:
        return await self._run(lambda s: customer_from_row(customer_row(s, msisdn)))

    async def list_plans(self) -> list[Plan]:
        def work(s: Session) -> list[Plan]:
            rows = s.scalars(select(PlanRow).order_by(PlanRow.monthly_fee))
            return [plan_from_row(row) for row in rows]

        return await self._run(work)

    async def overage_rates(self) -> OverageRates:
        def work(s: Session) -> OverageRates:
            row = s.scalars(select(OverageRow)).one()
            return OverageRates(row.data_per_gb, row.voice_per_min, row.sms_each)

        return await self._run(work)

    async def current_usage(self, msisdn: str) -> CycleUsage:
        def work(s: Session) -> CycleUsage:
            customer_row(s, msisdn)
            row = s.get(CycleUsageRow, msisdn)
            if row is None:
                return CycleUsage(_ZERO_GB, 0, 0)
            return CycleUsage(row.data_used_gb, row.voice_used_min, row.sms_used)

        return await self._run(work)

    async def usage_history(self, msisdn: str, months: int = 3) -> list[MonthlyUsage]:
        def work(s: Session) -> list[MonthlyUsage]:
            customer_row(s, msisdn)
            query = (
                select(UsageHistoryRow)
                .where(UsageHistoryRow.msisdn == msisdn)
                .order_by(UsageHistoryRow.month.desc())
                .limit(months)
            )
            rows = list(s.scalars(query))
            return [
                MonthlyUsage(r.month, r.data_gb, r.voice_min, r.sms, r.total_charge)
                for r in reversed(rows)
            ]

        return await self._run(work)

    async def subscriptions(self, msisdn: str) -> list[Subscription]:
        def work(s: Session) -> list[Subscription]:
            customer_row(s, msisdn)
            query = (
                select(SubscriptionRow)
                .where(SubscriptionRow.msisdn == msisdn, SubscriptionRow.active.is_(True))
                .order_by(SubscriptionRow.code)
            )
            return [
                Subscription(r.code, r.name_zh, r.name_en, r.monthly_fee) for r in s.scalars(query)
            ]

        return await self._run(work)

    async def unsubscribe(self, msisdn: str, code: str) -> Subscription:
        now = self._clock()

        def work(s: Session) -> Subscription:
            customer_row(s, msisdn)
            row = s.scalars(
                select(SubscriptionRow).where(
                    SubscriptionRow.msisdn == msisdn,
                    SubscriptionRow.code == code.upper(),
                    SubscriptionRow.active.is_(True),
                )
            ).first()
            if row is None:
                raise SubscriptionNotFound(f"no active subscription {code}")
            row.active = False
            row.cancelled_at = now
            s.commit()
            return Subscription(row.code, row.name_zh, row.name_en, row.monthly_fee)

        return await self._run(work)

    async def place_plan_change(
        self, msisdn: str, plan_code: str, effective_date: dt.date
    ) -> PlanChangeOrder:
        now = self._clock()

        def work(s: Session) -> PlanChangeOrder:
            customer = customer_row(s, msisdn)
            plan = s.get(PlanRow, plan_code)
            if plan is None:
                raise PlanNotFound(f"no plan {plan_code}")
            if plan.min_age is not None and now.year - customer.birth_year < plan.min_age:
                raise PlanNotEligible(f"{plan_code} needs age {plan.min_age} or over")
            row = PlanChangeOrderRow(
                order_id=next_id(s, PlanChangeOrderRow.order_id, "PC", now),
                msisdn=msisdn,
                from_plan=customer.plan_code,
                to_plan=plan_code,
                effective_date=effective_date,
                created_at=now,
            )
            s.add(row)
            s.commit()
            return PlanChangeOrder(
                row.order_id, msisdn, row.from_plan, row.to_plan, effective_date, now
            )

        return await self._retry_on_conflict(work)

    async def create_ticket(
        self,
        msisdn: str,
        category: ComplaintCategory,
        description: str,
        location: str | None,
        escalated: bool,
    ) -> Ticket:
        now = self._clock()

        def work(s: Session) -> Ticket:
            customer_row(s, msisdn)
            row = TicketRow(
                ticket_id=next_id(s, TicketRow.ticket_id, "TK", now),
                msisdn=msisdn,
                category=category.value,
                description=description,
                location=location,
                status=TicketStatus.OPEN.value,
                escalated=escalated,
                created_at=now,
            )
            s.add(row)
            sql_tickets.add_due(s, row)
            s.commit()
            return sql_tickets.worked(s, [row])[0]

        return await self._retry_on_conflict(work)

    async def tickets(self, msisdn: str, open_only: bool = False) -> list[Ticket]:
        def work(s: Session) -> list[Ticket]:
            customer_row(s, msisdn)
            query = select(TicketRow).where(TicketRow.msisdn == msisdn)
            if open_only:
                query = query.where(TicketRow.status.in_(sql_tickets.OPEN_STATUS_VALUES))
            rows = s.scalars(
                query.order_by(TicketRow.created_at.desc(), TicketRow.ticket_id.desc())
            )
            return sql_tickets.worked(s, list(rows))

        return await self._run(work)

    async def get_ticket(self, msisdn: str, ticket_id: str) -> Ticket:
        def work(s: Session) -> Ticket:
            row = s.get(TicketRow, ticket_id.upper())
            if row is None or row.msisdn != msisdn:
                raise TicketNotFound(f"no ticket {ticket_id} for this customer")
            return sql_tickets.worked(s, [row])[0]

        return await self._run(work)

    # --- tickets worked by agents: the work is in sql_tickets.py ---
    async def open_tickets(self) -> list[Ticket]:
        return await self._run(sql_tickets.open_tickets)

    async def find_ticket(self, ticket_id: str) -> Ticket:
        return await self._run(lambda s: sql_tickets.find_ticket(s, ticket_id))

    async def ticket_updates(self, ticket_id: str) -> list[TicketUpdate]:
        return await self._run(lambda s: sql_tickets.ticket_updates(s, ticket_id))

    async def update_ticket(
        self, ticket_id: str, author: str, text: str, status: TicketStatus | None = None
    ) -> Ticket:
        now = self._clock()
        return await self._run(
            lambda s: sql_tickets.update_ticket(s, ticket_id, author, text, status, now)
        )

    # --- proactive notices (the notice scheduler) ---
    async def customer_numbers(self) -> list[str]:
        def work(s: Session) -> list[str]:
            return list(s.scalars(select(CustomerRow.msisdn).order_by(CustomerRow.msisdn)))

        return await self._run(work)

    # --- data packs (add-on data): the work is in sql_packs.py ---
    async def list_data_packs(self) -> list[DataPack]:
        return await self._run(sql_packs.list_packs)

    async def order_data_pack(self, msisdn: str, code: str) -> DataPackOrder:
        now = self._clock()

        def work(s: Session) -> DataPackOrder:
            number = next_id(s, DataPackOrderRow.order_id, sql_packs.ORDER_PREFIX, now)
            return sql_packs.order_pack(s, msisdn, code, now, number)

        return await self._retry_on_conflict(work)

    async def active_data_packs(self, msisdn: str) -> list[DataPackOrder]:
        today = self._clock().date()
        return await self._run(lambda s: sql_packs.active_packs(s, msisdn, today))

    async def data_pack_sales(self, since: dt.datetime) -> int:
        return await self._run(lambda s: sql_packs.count_sales(s, since))

    async def _retry_on_conflict(self, work: Callable[[Session], T]) -> T:
        return await retry_on_conflict(self._run, self._numbering, work)


_ZERO_GB = Decimal("0.00")
