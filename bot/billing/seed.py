"""Load the demo billing data (``data/demo-customers.yml``) into the stub's tables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import (
    CustomerRow,
    CycleUsageRow,
    OverageRow,
    PlanChangeOrderRow,
    PlanRow,
    SubscriptionRow,
    TicketRow,
    UsageHistoryRow,
)
from bot.db import Base, create_schema, schema_is_current

_TABLES_CHILD_FIRST = (
    TicketRow,
    PlanChangeOrderRow,
    SubscriptionRow,
    UsageHistoryRow,
    CycleUsageRow,
    CustomerRow,
    OverageRow,
    PlanRow,
)


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def load_seed(path: Path) -> dict[str, Any]:
    """Parse the seed file."""
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def seed_database(engine: Engine, path: Path, reset: bool = False) -> bool:
    """Create the schema and load the seed; returns False if data was already there.

    With ``reset`` every billing row (orders and tickets included) is replaced.
    """
    if not schema_is_current(engine):
        # The stub has no migrations: a database from an older schema is rebuilt.
        Base.metadata.drop_all(engine)
        reset = True
    create_schema(engine)
    data = load_seed(path)
    with Session(engine, future=True) as session:
        if not reset and session.scalar(select(PlanRow.code).limit(1)) is not None:
            return False
        for table in _TABLES_CHILD_FIRST:
            session.execute(delete(table))
        session.flush()
        _add_catalogue(session, data)
        session.flush()
        for customer in data["customers"]:
            add_customer(session, customer)
        session.commit()
    return True


def _add_catalogue(session: Session, data: dict[str, Any]) -> None:
    for plan in data["plans"]:
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
    overage = data["overage"]
    session.add(
        OverageRow(
            id=1,
            data_per_gb=_dec(overage["data_per_gb"]),
            voice_per_min=_dec(overage["voice_per_min"]),
            sms_each=_dec(overage["sms_each"]),
        )
    )


def add_customer(session: Session, customer: dict[str, Any]) -> None:
    """Insert one customer as the seed file describes it (profile, usage, history)."""
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
                month=month["month"],
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
