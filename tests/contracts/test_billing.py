"""The billing port's contract: ``FakeBillingService`` and ``SqlBillingService`` (seeded demo
data) answer alike, for every behaviour the action tests rely on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.billing.port import (
    BillingUnavailable,
    ComplaintCategory,
    CustomerNotFound,
    PlanNotEligible,
    PlanNotFound,
    SubscriptionNotFound,
    TicketNotFound,
    TicketStatus,
)
from tests.contracts.conftest import BillingUnderTest
from tests.fakes import NOW, Clock

C1, C2, C3, C5 = "+8613800000001", "+8613800000002", "+8613800000003", "+8613800000005"
STRANGER = "+8613900000000"
NEXT_CYCLE = dt.date(2026, 12, 1)
NETWORK = ComplaintCategory.NETWORK

# Every call that names a customer, with arguments that would otherwise be fine.
CUSTOMER_CALLS = {
    "get_customer": (),
    "current_usage": (),
    "usage_history": (),
    "subscriptions": (),
    "unsubscribe": ("VRBT",),
    "place_plan_change": ("P58", NEXT_CYCLE),
    "create_ticket": (NETWORK, "No signal", None, False),
    "tickets": (),
}


class TestCustomers:
    async def test_a_known_number(self, billing: BillingUnderTest) -> None:
        customer = await billing.service.get_customer(C2)
        assert (
            customer.msisdn,
            customer.name_zh,
            customer.name_en,
            customer.birth_year,
            customer.language,
            customer.plan_code,
        ) == (C2, "李秀英", "Li Xiuying", 1953, "zh", "P88")

    async def test_balances_and_arrears_to_the_cent(self, billing: BillingUnderTest) -> None:
        balances = {n: str((await billing.service.get_customer(n)).balance) for n in (C1, C3, C5)}
        assert balances == {C1: "23.50", C3: "-12.30", C5: "2.10"}  # C3 is in arrears

    @pytest.mark.parametrize("method", CUSTOMER_CALLS)
    async def test_an_unknown_number(self, billing: BillingUnderTest, method: str) -> None:
        with pytest.raises(CustomerNotFound) as caught:
            await getattr(billing.service, method)(STRANGER, *CUSTOMER_CALLS[method])
        assert caught.value.msisdn == STRANGER
        assert str(caught.value) == "no customer with number +86139****0000"  # masked


class TestUsage:
    async def test_the_cycle_in_progress(self, billing: BillingUnderTest) -> None:
        usage = await billing.service.current_usage(C3)
        assert (str(usage.data_used_gb), usage.voice_used_min, usage.sms_used) == ("23.50", 140, 30)

    async def test_history_oldest_first(self, billing: BillingUnderTest) -> None:
        history = await billing.service.usage_history(C3)
        assert [(m.month, str(m.data_gb), str(m.total_charge)) for m in history] == [
            ("2026-08", "30.20", "89.00"),
            ("2026-09", "33.50", "105.50"),
            ("2026-10", "32.40", "100.00"),
        ]
        assert (history[0].voice_min, history[0].sms) == (150, 25)

    @pytest.mark.parametrize(
        ("months", "expected"), [(2, ["2026-09", "2026-10"]), (1, ["2026-10"])]
    )
    async def test_history_of_the_latest_months(
        self, billing: BillingUnderTest, months: int, expected: list[str]
    ) -> None:
        history = await billing.service.usage_history(C5, months=months)
        assert [m.month for m in history] == expected


class TestCatalogue:
    async def test_plans_cheapest_first(self, billing: BillingUnderTest) -> None:
        plans = await billing.service.list_plans()
        assert [p.code for p in plans] == ["SENIOR8", "P18", "P38", "P58", "P88", "P128"]
        assert [str(p.monthly_fee) for p in plans] == [
            "8.00",
            "18.00",
            "38.00",
            "58.00",
            "88.00",
            "128.00",
        ]
        assert [p.min_age for p in plans] == [60, None, None, None, None, None]
        assert (str(plans[2].data_gb), plans[2].voice_min, plans[2].sms) == ("20.00", 200, 100)
        assert (plans[0].name_zh, plans[0].name_en) == ("长者关爱套餐", "Senior Care 8")

    async def test_overage_rates(self, billing: BillingUnderTest) -> None:
        rates = await billing.service.overage_rates()
        figures = (rates.data_per_gb, rates.voice_per_min, rates.sms_each)
        assert [str(r) for r in figures] == ["5.00", "0.15", "0.10"]


class TestSubscriptions:
    async def test_listed_by_code(self, billing: BillingUnderTest) -> None:
        subs = await billing.service.subscriptions(C5)
        assert [(s.code, s.name_zh, s.name_en, str(s.monthly_fee)) for s in subs] == [
            ("NEWS", "手机报", "Mobile news digest", "3.00"),
            ("VRBT", "视频彩铃", "Video ringback tone", "5.00"),
        ]
        assert await billing.service.subscriptions(C1) == []

    async def test_unsubscribe_ends_it_whatever_the_case_of_the_code(
        self, billing: BillingUnderTest
    ) -> None:
        ended = await billing.service.unsubscribe(C5, "vrbt")
        assert (ended.code, ended.name_en, ended.monthly_fee) == (
            "VRBT",
            "Video ringback tone",
            Decimal("5.00"),
        )
        assert [s.code for s in await billing.service.subscriptions(C5)] == ["NEWS"]

    async def test_an_ended_or_unknown_subscription_is_not_found(
        self, billing: BillingUnderTest
    ) -> None:
        await billing.service.unsubscribe(C5, "VRBT")
        for code in ("VRBT", "GAMES"):
            with pytest.raises(SubscriptionNotFound, match=code):
                await billing.service.unsubscribe(C5, code)
        with pytest.raises(SubscriptionNotFound):  # another customer's
            await billing.service.unsubscribe(C1, "NEWS")


class TestPlanChange:
    async def test_orders_numbered_per_day(self, billing: BillingUnderTest) -> None:
        first = await billing.service.place_plan_change(C3, "P58", NEXT_CYCLE)
        second = await billing.service.place_plan_change(C1, "P88", NEXT_CYCLE)
        assert (first.order_id, second.order_id) == ("PC2611280001", "PC2611280002")
        assert (
            first.msisdn,
            first.from_plan,
            first.to_plan,
            first.effective_date,
            first.created_at,
        ) == (C3, "P38", "P58", NEXT_CYCLE, NOW)

    async def test_a_new_day_starts_a_new_sequence(
        self, billing: BillingUnderTest, clock: Clock
    ) -> None:
        await billing.service.place_plan_change(C3, "P58", NEXT_CYCLE)
        clock.now = NOW + dt.timedelta(days=1)
        order = await billing.service.place_plan_change(C3, "P58", NEXT_CYCLE)
        assert (order.order_id, order.created_at) == ("PC2611290001", clock.now)

    async def test_the_current_plan_is_unchanged_until_it_takes_effect(
        self, billing: BillingUnderTest
    ) -> None:
        await billing.service.place_plan_change(C3, "P58", NEXT_CYCLE)
        assert (await billing.service.get_customer(C3)).plan_code == "P38"

    async def test_senior_plan_refused_under_60(self, billing: BillingUnderTest) -> None:
        with pytest.raises(PlanNotEligible, match="SENIOR8"):
            await billing.service.place_plan_change(C1, "SENIOR8", NEXT_CYCLE)
        order = await billing.service.place_plan_change(C1, "P88", NEXT_CYCLE)
        assert order.order_id == "PC2611280001"  # the refusal recorded nothing

    async def test_senior_plan_allowed_at_73(self, billing: BillingUnderTest) -> None:
        order = await billing.service.place_plan_change(C2, "SENIOR8", NEXT_CYCLE)
        assert (order.from_plan, order.to_plan) == ("P88", "SENIOR8")

    async def test_age_is_counted_by_birth_year_on_the_clock(
        self, billing: BillingUnderTest, clock: Clock
    ) -> None:
        clock.now = dt.datetime(1988 + 60, 1, 1, 9, 0)  # C1 was born in 1988
        order = await billing.service.place_plan_change(C1, "SENIOR8", NEXT_CYCLE)
        assert (order.order_id, order.to_plan) == ("PC4801010001", "SENIOR8")

    async def test_an_unknown_plan(self, billing: BillingUnderTest) -> None:
        with pytest.raises(PlanNotFound, match="P999"):
            await billing.service.place_plan_change(C1, "P999", NEXT_CYCLE)


class TestTickets:
    async def file(self, billing: BillingUnderTest, msisdn: str = C1) -> str:
        ticket = await billing.service.create_ticket(msisdn, NETWORK, "No signal", "Nanshan", False)
        return ticket.ticket_id

    async def test_ids_and_fields(self, billing: BillingUnderTest) -> None:
        ticket = await billing.service.create_ticket(C1, NETWORK, "No signal", "Nanshan", True)
        assert ticket.ticket_id == "TK2611280001"
        assert (
            ticket.msisdn,
            ticket.category,
            ticket.description,
            ticket.location,
            ticket.status,
            ticket.escalated,
            ticket.created_at,
        ) == (C1, NETWORK, "No signal", "Nanshan", TicketStatus.OPEN, True, NOW)
        assert await self.file(billing, C3) == "TK2611280002"
        assert (await billing.service.get_ticket(C1, "TK2611280001")) == ticket

    async def test_tickets_and_orders_are_numbered_apart(self, billing: BillingUnderTest) -> None:
        await billing.service.place_plan_change(C3, "P58", NEXT_CYCLE)
        assert await self.file(billing) == "TK2611280001"
        order = await billing.service.place_plan_change(C3, "P88", NEXT_CYCLE)
        assert order.order_id == "PC2611280002"

    async def test_a_ticket_without_a_location(self, billing: BillingUnderTest) -> None:
        ticket = await billing.service.create_ticket(
            C1, ComplaintCategory.BILLING, "charged twice", None, False
        )
        assert (ticket.category, ticket.location, ticket.escalated) == (
            ComplaintCategory.BILLING,
            None,
            False,
        )

    async def test_newest_first_and_only_the_customers(
        self, billing: BillingUnderTest, clock: Clock
    ) -> None:
        ids = [await self.file(billing) for _ in range(2)]
        await self.file(billing, C3)
        clock.now = NOW + dt.timedelta(days=1)
        ids.append(await self.file(billing))
        assert [t.ticket_id for t in await billing.service.tickets(C1)] == ids[::-1]
        assert ids[-1] == "TK2611290001"
        assert await billing.service.tickets(C5) == []

    async def test_open_only_leaves_out_the_resolved(self, billing: BillingUnderTest) -> None:
        resolved, in_progress, still_open = [await self.file(billing) for _ in range(3)]
        billing.set_ticket_status(resolved, TicketStatus.RESOLVED)
        billing.set_ticket_status(in_progress, TicketStatus.IN_PROGRESS)
        open_ones = await billing.service.tickets(C1, open_only=True)
        assert [(t.ticket_id, t.status) for t in open_ones] == [
            (still_open, TicketStatus.OPEN),
            (in_progress, TicketStatus.IN_PROGRESS),
        ]
        assert len(await billing.service.tickets(C1)) == 3

    async def test_get_ticket_ignores_case(self, billing: BillingUnderTest) -> None:
        ticket_id = await self.file(billing)
        assert (await billing.service.get_ticket(C1, ticket_id.lower())).ticket_id == ticket_id

    @pytest.mark.parametrize("asker", [C3, STRANGER], ids=["another-customer", "stranger"])
    async def test_someone_elses_ticket_is_not_found(
        self, billing: BillingUnderTest, asker: str
    ) -> None:
        ticket_id = await self.file(billing, C1)
        with pytest.raises(TicketNotFound, match=ticket_id):
            await billing.service.get_ticket(asker, ticket_id)

    async def test_an_unknown_ticket(self, billing: BillingUnderTest) -> None:
        with pytest.raises(TicketNotFound):
            await billing.service.get_ticket(C1, "TK2611289999")


CALLS = {
    **CUSTOMER_CALLS,
    "list_plans": None,
    "overage_rates": None,
    "get_ticket": ("TK2611280001",),
}


@pytest.mark.parametrize("method", CALLS)
async def test_every_call_fails_alike_when_billing_is_unreachable(
    billing: BillingUnderTest, method: str
) -> None:
    service = billing.unreachable()
    args = () if CALLS[method] is None else (C1, *CALLS[method])  # type: ignore[misc]
    with pytest.raises(BillingUnavailable):
        await getattr(service, method)(*args)
