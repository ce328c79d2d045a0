"""The SQLAlchemy billing stub on a real SQLite file, with the demo seed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import PlanChangeOrderRow, TicketRow
from bot.billing.port import (
    BillingUnavailable,
    ComplaintCategory,
    CustomerNotFound,
    PlanNotEligible,
    PlanNotFound,
    TicketNotFound,
    TicketStatus,
)
from bot.billing.seed import seed_database
from bot.billing.sql import SqlBillingService
from bot.storage.db import make_engine
from tests.fakes import NOW, SEED

C1, C2, C3, C5 = "+8613800000001", "+8613800000002", "+8613800000003", "+8613800000005"
STRANGER = "+8613900000000"
NEXT_CYCLE = dt.date(2026, 12, 1)


def count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


class TestDemoFigures:
    async def test_balances_keep_two_decimal_places(self, billing: SqlBillingService) -> None:
        balances = {n: str((await billing.get_customer(n)).balance) for n in (C1, C3, C5)}
        assert balances == {C1: "23.50", C3: "-12.30", C5: "2.10"}

    async def test_profile(self, billing: SqlBillingService) -> None:
        customer = await billing.get_customer(C2)
        assert (
            customer.name_zh,
            customer.name_en,
            customer.birth_year,
            customer.language,
            customer.plan_code,
        ) == ("李秀英", "Li Xiuying", 1953, "zh", "P88")

    async def test_plans_cheapest_first(self, billing: SqlBillingService) -> None:
        plans = await billing.list_plans()
        assert [p.code for p in plans] == ["SENIOR8", "P18", "P38", "P58", "P88", "P128"]
        assert [str(p.monthly_fee) for p in plans][:3] == ["8.00", "18.00", "38.00"]
        assert [p.min_age for p in plans] == [60, None, None, None, None, None]
        assert (plans[2].data_gb, plans[2].voice_min, plans[2].sms) == (Decimal(20), 200, 100)

    async def test_overage_rates(self, billing: SqlBillingService) -> None:
        rates = await billing.overage_rates()
        assert [str(r) for r in (rates.data_per_gb, rates.voice_per_min, rates.sms_each)] == [
            "5.00",
            "0.15",
            "0.10",
        ]

    async def test_current_usage(self, billing: SqlBillingService) -> None:
        usage = await billing.current_usage(C3)
        assert (usage.data_used_gb, usage.voice_used_min, usage.sms_used) == (
            Decimal("23.5"),
            140,
            30,
        )

    async def test_history_oldest_first(self, billing: SqlBillingService) -> None:
        history = await billing.usage_history(C3)
        assert [(m.month, str(m.total_charge)) for m in history] == [
            ("2026-08", "89.00"),
            ("2026-09", "105.50"),
            ("2026-10", "100.00"),
        ]
        assert history[0].data_gb == Decimal("30.2")

    async def test_history_limited_to_the_latest_months(self, billing: SqlBillingService) -> None:
        history = await billing.usage_history(C5, months=2)
        assert [(m.month, str(m.total_charge)) for m in history] == [
            ("2026-09", "21.00"),
            ("2026-10", "23.50"),
        ]

    async def test_customer_5_two_subscriptions(self, billing: SqlBillingService) -> None:
        subs = await billing.subscriptions(C5)
        assert [(s.code, s.name_en, str(s.monthly_fee)) for s in subs] == [
            ("NEWS", "Mobile news digest", "3.00"),
            ("VRBT", "Video ringback tone", "5.00"),
        ]
        assert await billing.subscriptions(C1) == []


class TestUnknownCustomer:
    @pytest.mark.parametrize(
        "method", ["get_customer", "current_usage", "usage_history", "subscriptions", "tickets"]
    )
    async def test_raises_customer_not_found(self, method: str, billing: SqlBillingService) -> None:
        with pytest.raises(CustomerNotFound) as caught:
            await getattr(billing, method)(STRANGER)
        assert caught.value.msisdn == STRANGER
        assert str(caught.value) == "no customer with number +86139****0000"  # masked

    async def test_plan_change_and_ticket_raise_too(self, billing: SqlBillingService) -> None:
        with pytest.raises(CustomerNotFound):
            await billing.place_plan_change(STRANGER, "P58", NEXT_CYCLE)
        with pytest.raises(CustomerNotFound):
            await billing.create_ticket(STRANGER, ComplaintCategory.OTHER, "x", None, False)


class TestPlanChange:
    async def test_order_ids_increment_per_day(self, billing: SqlBillingService) -> None:
        first = await billing.place_plan_change(C3, "P58", NEXT_CYCLE)
        second = await billing.place_plan_change(C1, "P88", NEXT_CYCLE)
        assert (first.order_id, second.order_id) == ("PC2611280001", "PC2611280002")
        assert (
            first.msisdn,
            first.from_plan,
            first.to_plan,
            first.effective_date,
            first.created_at,
        ) == (C3, "P38", "P58", NEXT_CYCLE, NOW)

    async def test_a_new_day_starts_a_new_sequence(self, engine: Engine) -> None:
        await SqlBillingService(engine, clock=lambda: NOW).place_plan_change(C3, "P58", NEXT_CYCLE)
        next_day = SqlBillingService(engine, clock=lambda: NOW + dt.timedelta(days=1))
        order = await next_day.place_plan_change(C3, "P58", NEXT_CYCLE)
        assert order.order_id == "PC2611290001"

    async def test_the_current_plan_is_unchanged_until_it_takes_effect(
        self, billing: SqlBillingService
    ) -> None:
        await billing.place_plan_change(C3, "P58", NEXT_CYCLE)
        assert (await billing.get_customer(C3)).plan_code == "P38"

    async def test_senior8_refused_under_60(
        self, billing: SqlBillingService, engine: Engine
    ) -> None:
        with pytest.raises(PlanNotEligible):
            await billing.place_plan_change(C1, "SENIOR8", NEXT_CYCLE)
        assert count(engine, PlanChangeOrderRow) == 0

    async def test_senior8_allowed_at_73(self, billing: SqlBillingService) -> None:
        order = await billing.place_plan_change(C2, "SENIOR8", NEXT_CYCLE)
        assert (order.from_plan, order.to_plan) == ("P88", "SENIOR8")

    async def test_unknown_plan(self, billing: SqlBillingService) -> None:
        with pytest.raises(PlanNotFound):
            await billing.place_plan_change(C1, "P999", NEXT_CYCLE)


class TestTickets:
    async def file(
        self,
        billing: SqlBillingService,
        msisdn: str = C1,
        category: ComplaintCategory = ComplaintCategory.NETWORK,
    ) -> str:
        ticket = await billing.create_ticket(msisdn, category, "No signal", "Nanshan", False)
        return ticket.ticket_id

    async def test_ticket_ids_and_fields(self, billing: SqlBillingService) -> None:
        ticket = await billing.create_ticket(
            C1, ComplaintCategory.NETWORK, "No signal", "Nanshan", True
        )
        assert ticket.ticket_id == "TK2611280001"
        assert (
            ticket.msisdn,
            ticket.category,
            ticket.description,
            ticket.location,
            ticket.status,
            ticket.escalated,
            ticket.created_at,
        ) == (C1, ComplaintCategory.NETWORK, "No signal", "Nanshan", TicketStatus.OPEN, True, NOW)
        assert await self.file(billing, C3) == "TK2611280002"

    async def test_tickets_newest_first_and_only_the_customers(
        self, billing: SqlBillingService
    ) -> None:
        ids = [await self.file(billing) for _ in range(3)]
        await self.file(billing, C3)
        assert [t.ticket_id for t in await billing.tickets(C1)] == ids[::-1]

    async def test_open_only_leaves_out_resolved(
        self, billing: SqlBillingService, engine: Engine
    ) -> None:
        resolved, in_progress = await self.file(billing), await self.file(billing)
        with Session(engine) as session:
            for ticket_id, status in ((resolved, "resolved"), (in_progress, "in_progress")):
                session.execute(
                    update(TicketRow).where(TicketRow.ticket_id == ticket_id).values(status=status)
                )
            session.commit()
        assert [t.ticket_id for t in await billing.tickets(C1, open_only=True)] == [in_progress]
        assert len(await billing.tickets(C1)) == 2

    async def test_get_ticket_ignores_case(self, billing: SqlBillingService) -> None:
        ticket_id = await self.file(billing)
        assert (await billing.get_ticket(C1, ticket_id.lower())).ticket_id == ticket_id

    async def test_another_customers_ticket_is_not_found(self, billing: SqlBillingService) -> None:
        ticket_id = await self.file(billing, C1)
        with pytest.raises(TicketNotFound):
            await billing.get_ticket(C3, ticket_id)

    async def test_unknown_ticket(self, billing: SqlBillingService) -> None:
        with pytest.raises(TicketNotFound):
            await billing.get_ticket(C1, "TK2611289999")


class TestSeeding:
    async def test_reseeding_without_reset_keeps_data(
        self, billing: SqlBillingService, engine: Engine
    ) -> None:
        await billing.place_plan_change(C3, "P58", NEXT_CYCLE)
        await billing.create_ticket(C1, ComplaintCategory.SPAM, "calls", None, False)
        assert seed_database(engine, SEED, as_of=NOW.date()) is False
        assert (count(engine, PlanChangeOrderRow), count(engine, TicketRow)) == (1, 1)
        assert (await billing.place_plan_change(C3, "P88", NEXT_CYCLE)).order_id == "PC2611280002"

    async def test_reseeding_with_reset_restores_the_demo(
        self, billing: SqlBillingService, engine: Engine
    ) -> None:
        await billing.place_plan_change(C3, "P58", NEXT_CYCLE)
        await billing.create_ticket(C1, ComplaintCategory.SPAM, "calls", None, False)
        assert seed_database(engine, SEED, reset=True, as_of=NOW.date()) is True
        assert (count(engine, PlanChangeOrderRow), count(engine, TicketRow)) == (0, 0)
        assert str((await billing.get_customer(C1)).balance) == "23.50"
        assert len(await billing.usage_history(C5)) == 3
        assert (await billing.place_plan_change(C3, "P58", NEXT_CYCLE)).order_id == "PC2611280001"


async def test_database_without_schema_is_billing_unavailable(tmp_path: Path) -> None:
    empty = SqlBillingService(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(BillingUnavailable):
        await empty.get_customer(C1)
