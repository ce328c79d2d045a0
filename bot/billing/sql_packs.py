"""The billing stub's data packs: the work ``SqlBillingService`` runs in a session.

The price is taken from the customer's balance when the pack is ordered, so the
balance the bot reads afterwards shows it; an account in arrears, or a balance
that does not cover the price, orders nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.billing.models import DataPackOrderRow, DataPackRow
from bot.billing.packs import month_end
from bot.billing.port import (
    BalanceTooLow,
    CustomerInArrears,
    DataPack,
    DataPackNotFound,
    DataPackOrder,
)
from bot.billing.sql_common import customer_row

ORDER_PREFIX = "DP"  # order ids DP2611280001: a daily sequence, like PC and TK


def pack_from_row(row: DataPackRow) -> DataPack:
    return DataPack(row.code, row.name_zh, row.name_en, row.data_gb, row.price)


def list_packs(s: Session) -> list[DataPack]:
    rows = s.scalars(select(DataPackRow).order_by(DataPackRow.price, DataPackRow.code))
    return [pack_from_row(row) for row in rows]


def order_pack(
    s: Session, msisdn: str, code: str, now: dt.datetime, order_id: str
) -> DataPackOrder:
    """Check, charge and record one order (committed); ``order_id`` is the next free id."""
    customer = customer_row(s, msisdn)
    pack = s.get(DataPackRow, code.upper())
    if pack is None:
        raise DataPackNotFound(f"no data pack {code}")
    balance = Decimal(customer.balance)
    if balance < 0:
        raise CustomerInArrears(balance)
    if balance < pack.price:
        raise BalanceTooLow(balance, pack.price)
    customer.balance = balance - pack.price
    row = DataPackOrderRow(
        order_id=order_id,
        msisdn=msisdn,
        code=pack.code,
        data_gb=pack.data_gb,
        price=pack.price,
        valid_until=month_end(now.date()),
        created_at=now,
    )
    s.add(row)
    s.commit()
    return _order(row, pack)


def active_packs(s: Session, msisdn: str, today: dt.date) -> list[DataPackOrder]:
    customer_row(s, msisdn)
    query = (
        select(DataPackOrderRow, DataPackRow)
        .join(DataPackRow, DataPackRow.code == DataPackOrderRow.code)
        .where(DataPackOrderRow.msisdn == msisdn, DataPackOrderRow.valid_until >= today)
        .order_by(DataPackOrderRow.created_at, DataPackOrderRow.order_id)
    )
    return [_order(order, pack) for order, pack in s.execute(query)]


def count_sales(s: Session, since: dt.datetime) -> int:
    query = select(func.count()).where(DataPackOrderRow.created_at >= since)
    return int(s.scalar(query) or 0)


def _order(row: DataPackOrderRow, pack: DataPackRow) -> DataPackOrder:
    sold = DataPack(pack.code, pack.name_zh, pack.name_en, row.data_gb, row.price)
    return DataPackOrder(row.order_id, row.msisdn, sold, row.valid_until, row.created_at)
