"""The billing stub closes each month as it ends (the calendar of ``bot.billing.calendar``).

``roll_forward`` runs in one transaction: it moves the stub's cycle on with a
conditional update (of two processes at the month's end only one closes it), then
for every customer adds a bill for each month that ended (the cycle's own use, or
the customer's usual month where more), puts a plan change that took effect into
force, and starts the new cycle from the usual month, prorated to the day. Months
already billed are never changed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.billing.calendar import (
    HISTORY_MONTHS,
    MonthUsage,
    Tariff,
    closed,
    month_of,
    months_between,
    pattern,
    shift,
    so_far,
)
from bot.billing.models import (
    BillingCalendarRow,
    CustomerRow,
    CycleUsageRow,
    OverageRow,
    PlanChangeOrderRow,
    PlanRow,
    UsageHistoryRow,
)

CALENDAR_ID = 1


def billing_cycle(session: Session, today: dt.date) -> str:
    """The stub's cycle in progress; recorded on first use (a database seeded before
    the calendar existed: the month after its newest bill)."""
    row = session.get(BillingCalendarRow, CALENDAR_ID)
    if row is not None:
        return str(row.cycle)
    newest = session.scalar(select(func.max(UsageHistoryRow.month)))
    cycle = min(shift(newest, 1), month_of(today)) if newest else month_of(today)
    session.add(BillingCalendarRow(id=CALENDAR_ID, cycle=cycle))
    session.flush()
    return cycle


def roll_forward(session: Session, today: dt.date) -> list[str]:
    """Close every month that ended before ``today``'s; the months closed (none if
    another process closed them). The caller commits."""
    cycle, current = billing_cycle(session, today), month_of(today)
    if cycle >= current:
        return []
    moved = session.execute(
        update(BillingCalendarRow)
        .where(BillingCalendarRow.id == CALENDAR_ID, BillingCalendarRow.cycle == cycle)
        .values(cycle=current)
    )
    if not moved.rowcount:
        return []
    ended = months_between(cycle, shift(current, -1))
    rates = session.scalars(select(OverageRow)).one()
    plans = {plan.code: plan for plan in session.scalars(select(PlanRow))}
    for customer in session.scalars(select(CustomerRow)).all():
        _close(session, customer, ended, today, plans, rates)
    return ended


def _close(
    session: Session,
    customer: CustomerRow,
    ended: list[str],
    today: dt.date,
    plans: dict[str, PlanRow],
    rates: OverageRow,
) -> None:
    history = session.scalars(
        select(UsageHistoryRow)
        .where(UsageHistoryRow.msisdn == customer.msisdn)
        .order_by(UsageHistoryRow.month.desc())
        .limit(HISTORY_MONTHS)
    ).all()
    billed = {row.month for row in history}
    usual = pattern([MonthUsage(r.data_gb, r.voice_min, r.sms) for r in history])
    cycle_row = session.get(CycleUsageRow, customer.msisdn)
    used = (
        MonthUsage(cycle_row.data_used_gb, cycle_row.voice_used_min, cycle_row.sms_used)
        if cycle_row is not None
        else None
    )
    for index, month in enumerate(ended):
        plan = plans[_plan_in_force(session, customer, month)]
        if month in billed:
            continue
        usage = closed(usual, used if index == 0 else None)
        tariff = Tariff(
            plan.monthly_fee,
            plan.data_gb,
            plan.voice_min,
            plan.sms,
            rates.data_per_gb,
            rates.voice_per_min,
            rates.sms_each,
        )
        session.add(
            UsageHistoryRow(
                msisdn=customer.msisdn,
                month=month,
                data_gb=usage.data_gb,
                voice_min=usage.voice_min,
                sms=usage.sms,
                total_charge=tariff.charge(usage),
            )
        )
    customer.plan_code = _plan_in_force(session, customer, month_of(today))
    start = so_far(usual, today)
    if cycle_row is None:
        cycle_row = CycleUsageRow(msisdn=customer.msisdn)
        session.add(cycle_row)
    cycle_row.data_used_gb = Decimal(start.data_gb)
    cycle_row.voice_used_min = start.voice_min
    cycle_row.sms_used = start.sms


def _plan_in_force(session: Session, customer: CustomerRow, month: str) -> str:
    """The plan of ``month``: the newest change effective by its first day, else the
    customer's plan."""
    first = dt.date.fromisoformat(f"{month}-01")
    order = session.scalars(
        select(PlanChangeOrderRow)
        .where(PlanChangeOrderRow.msisdn == customer.msisdn)
        .where(PlanChangeOrderRow.effective_date <= first)
        .order_by(PlanChangeOrderRow.effective_date.desc(), PlanChangeOrderRow.created_at.desc())
        .limit(1)
    ).first()
    return str(order.to_plan) if order is not None else str(customer.plan_code)


def close_months(today: dt.date, session: Session) -> None:
    """Close the months that ended and commit (a process beside this one may have
    recorded the calendar first: then nothing happens)."""
    try:
        roll_forward(session, today)
        session.commit()
    except IntegrityError:
        session.rollback()
