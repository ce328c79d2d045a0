"""Load the demo billing data (``data/billing/demo-customers.yml``) into the stub's tables.

Seeding only adds what is missing; it never drops a table (the project's own state
is in another database, see ``bot.state``). Past months are placed relative to the
day it runs (``as_of``, today by default): six completed months per customer, the
cycle in progress partly used. On a database seeded earlier it closes the months
that ended since (``bot.billing.sql_calendar``), adding their bills; it never
changes or drops a month already billed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.calendar import months_ago
from bot.billing.models import (
    AccountCreditRow,
    BillingBase,
    BillingCalendarRow,
    CustomerRow,
    CycleUsageRow,
    DataPackOrderRow,
    DataPackRow,
    OverageRow,
    PlanChangeOrderRow,
    PlanRow,
    SubscriptionRow,
    TicketDueRow,
    TicketRow,
    TicketUpdateRow,
    UsageHistoryRow,
)
from bot.billing.sql_calendar import roll_forward

_TABLES_CHILD_FIRST = (
    AccountCreditRow,
    BillingCalendarRow,
    DataPackOrderRow,
    TicketUpdateRow,
    TicketDueRow,
    TicketRow,
    PlanChangeOrderRow,
    SubscriptionRow,
    UsageHistoryRow,
    CycleUsageRow,
    CustomerRow,
    OverageRow,
    PlanRow,
    DataPackRow,
)


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def load_seed(path: Path) -> dict[str, Any]:
    """Parse the seed file."""
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


class BillingSchemaMismatch(Exception):
    """The stub's tables differ from the code; seeding never drops them to fix it."""


def create_billing_schema(engine: Engine) -> None:
    """Create the stub's missing tables; refuse tables whose columns differ from the code."""
    existing = set(inspect(engine).get_table_names())
    for table in BillingBase.metadata.sorted_tables:
        if table.name not in existing:
            continue
        columns = {c["name"] for c in inspect(engine).get_columns(table.name)}
        missing = sorted({c.name for c in table.columns} - columns)
        if missing:
            raise BillingSchemaMismatch(
                f"billing stub table {table.name} lacks {', '.join(missing)}: the stub is not "
                "migrated; `telecom-assistant seed --recreate` DROPS and recreates the billing "
                "stub's tables, losing every change made to its data (only the billing "
                "stub's tables are touched)"
            )
    BillingBase.metadata.create_all(engine)


def seed_database(
    engine: Engine, path: Path, reset: bool = False, as_of: dt.date | None = None
) -> bool:
    """Create the stub's tables and add the demo rows that are missing, in the calendar
    of ``as_of`` (today by default); True if any was added (a month closed counts).

    Existing rows are never changed or deleted, except with ``reset``, which replaces
    every row of the billing stub (orders and tickets included) and nothing else; the
    months that ended since an earlier seed are closed as the running stub closes them.
    """
    create_billing_schema(engine)
    data = load_seed(path)
    day = as_of or dt.date.today()
    with Session(engine, future=True) as session:
        if reset:
            for table in _TABLES_CHILD_FIRST:
                session.execute(delete(table))
            session.flush()
        added = _add_catalogue(session, data)
        added = _add_data_packs(session, data) or added
        session.flush()
        known = set(session.scalars(select(CustomerRow.msisdn)))
        for customer in data["customers"]:
            if customer["msisdn"] not in known:
                add_customer(session, customer, day)
                added = True
        session.flush()
        added = bool(roll_forward(session, day)) or added
        session.commit()
    return added


def recreate_billing_schema(engine: Engine) -> None:
    """Drop and create the billing stub's own tables (the project's state is elsewhere)."""
    BillingBase.metadata.drop_all(engine)
    BillingBase.metadata.create_all(engine)


def _add_catalogue(session: Session, data: dict[str, Any]) -> bool:
    known = set(session.scalars(select(PlanRow.code)))
    added = False
    for plan in data["plans"]:
        if plan["code"] in known:
            continue
        added = True
        session.add(
            PlanRow(
                code=plan["code"],
                name_zh=plan["name_zh"],
                name_en=plan["name_en"],
                monthly_fee=_dec(plan["monthly_fee"]),
                data_gb=_dec(plan["data_gb"]),
                voice_min=int(plan["voice_min"]),
                sms=int(plan["sms"]),
                min_age=plan.get("min_age"),
            )
        )
    if session.get(OverageRow, 1) is not None:
        return added
    overage = data["overage"]
    session.add(
        OverageRow(
            id=1,
            data_per_gb=_dec(overage["data_per_gb"]),
            voice_per_min=_dec(overage["voice_per_min"]),
            sms_each=_dec(overage["sms_each"]),
        )
    )
    return True


# --- data packs (add-on data) ---
def _add_data_packs(session: Session, data: dict[str, Any]) -> bool:
    """Add the packs on sale that the database lacks (an older install gains them)."""
    known = set(session.scalars(select(DataPackRow.code)))
    missing = [p for p in data.get("data_packs", []) if p["code"] not in known]
    for pack in missing:
        session.add(
            DataPackRow(
                code=pack["code"],
                name_zh=pack["name_zh"],
                name_en=pack["name_en"],
                data_gb=_dec(pack["data_gb"]),
                price=_dec(pack["price"]),
            )
        )
    return bool(missing)


def history_month(entry: dict[str, Any], as_of: dt.date) -> str:
    """An entry's month: ``months_ago`` before ``as_of``'s month, or as written."""
    if "months_ago" in entry:
        return months_ago(as_of, int(entry["months_ago"]))
    return str(entry["month"])


def add_customer(session: Session, customer: dict[str, Any], as_of: dt.date | None = None) -> None:
    """Insert one customer as the seed file describes it (profile, usage, history), its
    months placed relative to ``as_of`` (today by default)."""
    day = as_of or dt.date.today()
    msisdn = customer["msisdn"]
    session.add(
        CustomerRow(
            msisdn=msisdn,
            name_zh=customer["name_zh"],
            name_en=customer["name_en"],
            birth_year=int(customer["birth_year"]),
            language=customer["language"],
            plan_code=customer["plan"],
            balance=_dec(customer["balance"]),
        )
    )
    session.flush()
    current = customer["current"]
    session.add(
        CycleUsageRow(
            msisdn=msisdn,
            data_used_gb=_dec(current["data_used_gb"]),
            voice_used_min=int(current["voice_used_min"]),
            sms_used=int(current["sms_used"]),
        )
    )
    for month in customer["usage_history"]:
        session.add(
            UsageHistoryRow(
                msisdn=msisdn,
                month=history_month(month, day),
                data_gb=_dec(month["data_gb"]),
                voice_min=int(month["voice_min"]),
                sms=int(month["sms"]),
                total_charge=_dec(month["total_charge"]),
            )
        )
    for sub in customer.get("subscriptions", []):
        session.add(
            SubscriptionRow(
                msisdn=msisdn,
                code=sub["code"],
                name_zh=sub["name_zh"],
                name_en=sub["name_en"],
                monthly_fee=_dec(sub["monthly_fee"]),
                active=True,
            )
        )
