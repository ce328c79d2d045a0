"""The billing port's data packs: ``FakeBillingService`` and ``SqlBillingService`` (seeded demo
data) sell them alike: price from the balance, valid to the month's end, never in arrears."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from bot.billing.port import (
    BalanceTooLow,
    BillingUnavailable,
    CustomerInArrears,
    CustomerNotFound,
    DataPackNotFound,
    DataPackOrder,
)
from bot.billing.seed import BillingSchemaMismatch, seed_database
from tests.contracts.conftest import BillingUnderTest
from tests.fakes import NOW, SEED, Clock

C1, C3, C4, C5 = "+8613800000001", "+8613800000003", "+8613800000004", "+8613800000005"
STRANGER = "+8613900000000"
END_OF_NOVEMBER = dt.date(2026, 11, 30)


def described(order: DataPackOrder) -> tuple[str, str, str, str, str, dt.date, dt.datetime]:
    pack = order.pack
    return (
        order.order_id,
        order.msisdn,
        pack.code,
        str(pack.data_gb),
        str(pack.price),
        order.valid_until,
        order.created_at,
    )


async def balance(billing: BillingUnderTest, msisdn: str) -> str:
    return str((await billing.service.get_customer(msisdn)).balance)


class TestCatalogue:
    async def test_packs_cheapest_first_with_both_names(self, billing: BillingUnderTest) -> None:
        packs = await billing.service.list_data_packs()
        assert [(p.code, p.name_zh, p.name_en, str(p.data_gb), str(p.price)) for p in packs] == [
            ("DP1G", "1GB流量加油包", "1 GB data add-on", "1.00", "10.00"),
            ("DP5G", "5GB流量加油包", "5 GB data add-on", "5.00", "30.00"),
        ]
        assert [packs[0].name("zh"), packs[0].name("en")] == ["1GB流量加油包", "1 GB data add-on"]


class TestOrders:
    async def test_an_order_is_numbered_charged_and_valid_to_the_months_end(
        self, billing: BillingUnderTest
    ) -> None:
        order = await billing.service.order_data_pack(C1, "DP1G")
        assert described(order) == (
            "DP2611280001",
            C1,
            "DP1G",
            "1.00",
            "10.00",
            END_OF_NOVEMBER,
            NOW,
        )
        assert await balance(billing, C1) == "13.50"  # 23.50 - 10.00
        assert await billing.service.active_data_packs(C1) == [order]

    async def test_orders_are_numbered_per_day_and_listed_oldest_first(
        self, billing: BillingUnderTest, clock: Clock
    ) -> None:
        first = await billing.service.order_data_pack(C4, "dp5g")  # any case
        second = await billing.service.order_data_pack(C4, "DP1G")
        clock.now = NOW + dt.timedelta(days=1)
        third = await billing.service.order_data_pack(C4, "DP1G")
        assert [o.order_id for o in (first, second, third)] == [
            "DP2611280001",
            "DP2611280002",
            "DP2611290001",
        ]
        assert await billing.service.active_data_packs(C4) == [first, second, third]
        assert await balance(billing, C4) == "260.75"  # 310.75 - 30 - 10 - 10
        assert await billing.service.active_data_packs(C1) == []  # only the customer's

    async def test_a_pack_ends_with_its_month(
        self, billing: BillingUnderTest, clock: Clock
    ) -> None:
        await billing.service.order_data_pack(C4, "DP1G")
        clock.now = dt.datetime(2026, 11, 30, 23, 59)
        assert len(await billing.service.active_data_packs(C4)) == 1
        clock.now = dt.datetime(2026, 12, 1, 0, 0)
        assert await billing.service.active_data_packs(C4) == []
        clock.now = dt.datetime(2026, 12, 15, 9, 0)
        december = await billing.service.order_data_pack(C4, "DP5G")
        assert december.valid_until == dt.date(2026, 12, 31)

    async def test_an_account_in_arrears_orders_nothing(self, billing: BillingUnderTest) -> None:
        with pytest.raises(CustomerInArrears) as caught:
            await billing.service.order_data_pack(C3, "DP1G")
        assert str(caught.value.balance) == "-12.30"
        assert await balance(billing, C3) == "-12.30"
        assert await billing.service.active_data_packs(C3) == []

    async def test_a_balance_short_of_the_price_orders_nothing(
        self, billing: BillingUnderTest
    ) -> None:
        with pytest.raises(BalanceTooLow) as caught:
            await billing.service.order_data_pack(C5, "DP1G")
        assert (str(caught.value.balance), str(caught.value.price)) == ("2.10", "10.00")
        assert await balance(billing, C5) == "2.10"
        assert await billing.service.active_data_packs(C5) == []

    async def test_the_whole_balance_may_be_spent(self, billing: BillingUnderTest) -> None:
        await billing.service.order_data_pack(C1, "DP1G")
        await billing.service.order_data_pack(C1, "DP1G")  # 23.50 -> 3.50
        with pytest.raises(BalanceTooLow):
            await billing.service.order_data_pack(C1, "DP1G")
        assert await balance(billing, C1) == "3.50"

    async def test_an_unknown_pack(self, billing: BillingUnderTest) -> None:
        with pytest.raises(DataPackNotFound):
            await billing.service.order_data_pack(C1, "DP9G")
        assert await balance(billing, C1) == "23.50"

    @pytest.mark.parametrize("method", ["order_data_pack", "active_data_packs"])
    async def test_an_unknown_number(self, billing: BillingUnderTest, method: str) -> None:
        args = (STRANGER, "DP1G") if method == "order_data_pack" else (STRANGER,)
        with pytest.raises(CustomerNotFound):
            await getattr(billing.service, method)(*args)


async def test_sales_since_a_moment(billing: BillingUnderTest, clock: Clock) -> None:
    clock.now = dt.datetime(2026, 11, 2, 8, 0)
    await billing.service.order_data_pack(C4, "DP1G")
    clock.now = NOW
    await billing.service.order_data_pack(C4, "DP5G")
    await billing.service.order_data_pack(C1, "DP1G")
    sales = billing.service.data_pack_sales
    assert await sales(dt.datetime(2026, 11, 28)) == 2
    assert await sales(dt.datetime(2026, 11, 1)) == 3
    assert await sales(dt.datetime(2026, 11, 29)) == 0


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("list_data_packs", ()),
        ("order_data_pack", (C1, "DP1G")),
        ("active_data_packs", (C1,)),
        ("data_pack_sales", (NOW,)),
    ],
)
async def test_every_pack_call_fails_alike_when_billing_is_unreachable(
    billing: BillingUnderTest, method: str, args: tuple[object, ...]
) -> None:
    with pytest.raises(BillingUnavailable):
        await getattr(billing.unreachable(), method)(*args)


class TestExistingStubDatabases:
    """An install seeded before data packs existed gains their tables and rows on seeding."""

    def test_seeding_adds_the_pack_tables_and_keeps_every_row(
        self, db: Callable[..., Engine]
    ) -> None:
        engine = db("billing.db")
        seed_database(engine, SEED, as_of=NOW.date())
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE customers SET balance = 99 WHERE msisdn = :n"), {"n": C1}
            )
            connection.execute(text("DROP TABLE data_pack_orders"))
            connection.execute(text("DROP TABLE data_packs"))
        assert seed_database(engine, SEED, as_of=NOW.date()) is True
        assert {"data_packs", "data_pack_orders"} <= set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            codes = connection.execute(text("SELECT code FROM data_packs ORDER BY code"))
            assert [row[0] for row in codes] == ["DP1G", "DP5G"]
            kept = connection.execute(
                text("SELECT balance FROM customers WHERE msisdn = :n"), {"n": C1}
            )
            assert str(kept.scalar()) == "99"
        assert seed_database(engine, SEED, as_of=NOW.date()) is False  # nothing more to add

    def test_a_differing_pack_table_is_refused(self, db: Callable[..., Engine]) -> None:
        engine = db("billing.db")
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE data_packs (code VARCHAR(16) PRIMARY KEY)"))
        with pytest.raises(BillingSchemaMismatch, match="data_packs lacks"):
            seed_database(engine, SEED, as_of=NOW.date())
