"""Data packs (add-on data) of ``FakeBillingService``, as the SQL stub sells them
(``bot.billing.sql_packs``): price taken from the balance, valid to the month's end,
order ids ``DP2611280001`` in a daily sequence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from bot.billing.packs import month_end
from bot.billing.port import (
    BalanceTooLow,
    Customer,
    CustomerInArrears,
    DataPack,
    DataPackNotFound,
    DataPackOrder,
)

_CENT = Decimal("0.01")


def _d(value: object) -> Decimal:
    return Decimal(str(value)).quantize(_CENT)


def _next_id(prefix: str, now: dt.datetime, taken: Iterable[str]) -> str:
    stem = f"{prefix}{now:%y%m%d}"
    return f"{stem}{sum(1 for i in taken if i.startswith(stem)) + 1:04d}"


class FakeDataPacks:
    """The data-pack calls of the billing port, kept in memory (mixed into the fake)."""

    clock: Callable[[], dt.datetime]
    customers: dict[str, Customer]
    packs: list[DataPack]
    pack_orders: list[DataPackOrder]

    def _check(self, msisdn: str | None = None) -> Customer | None:
        raise NotImplementedError  # FakeBillingService's

    def _load_packs(self, data: dict[str, Any]) -> None:
        self.packs = [
            DataPack(p["code"], p["name_zh"], p["name_en"], _d(p["data_gb"]), _d(p["price"]))
            for p in data.get("data_packs", [])
        ]
        self.pack_orders = []

    async def list_data_packs(self) -> list[DataPack]:
        self._check()
        return sorted(self.packs, key=lambda p: (p.price, p.code))

    async def order_data_pack(self, msisdn: str, code: str) -> DataPackOrder:
        now = self.clock()
        customer = self._check(msisdn)
        assert customer is not None
        pack = next((p for p in self.packs if p.code == code.upper()), None)
        if pack is None:
            raise DataPackNotFound(f"no data pack {code}")
        if customer.balance < 0:
            raise CustomerInArrears(customer.balance)
        if customer.balance < pack.price:
            raise BalanceTooLow(customer.balance, pack.price)
        self.customers[msisdn] = replace(customer, balance=customer.balance - pack.price)
        order = DataPackOrder(
            _next_id("DP", now, (o.order_id for o in self.pack_orders)),
            msisdn,
            pack,
            month_end(now.date()),
            now,
        )
        self.pack_orders.append(order)
        return order

    async def active_data_packs(self, msisdn: str) -> list[DataPackOrder]:
        today = self.clock().date()
        self._check(msisdn)
        found = [o for o in self.pack_orders if o.msisdn == msisdn and o.valid_until >= today]
        return sorted(found, key=lambda o: (o.created_at, o.order_id))

    async def data_pack_sales(self, since: dt.datetime) -> int:
        self._check()
        return sum(1 for o in self.pack_orders if o.created_at >= since)
