"""Credits and plan change orders on the billing stub's tables.

``SqlBillingService`` runs these in its sessions (``bot.billing.sql``). Credits live in
their own table (``account_credits``), so an existing stub database only gains it; its
unique ``reference`` makes a credit idempotent: a second writer of the same reference
fails on the key, and its retry finds the first credit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.billing.models import AccountCreditRow, CustomerRow, PlanChangeOrderRow
from bot.billing.port import Credit, CreditRefused, PlanChangeOrder
from bot.billing.sql_common import customer_row, next_id

T = TypeVar("T")

CREDIT_PREFIX = "CR"
CENT = Decimal("0.01")


def plan_changes(session: Session, msisdn: str) -> list[PlanChangeOrder]:
    """The customer's plan change orders, newest first."""
    customer_row(session, msisdn)
    query = (
        select(PlanChangeOrderRow)
        .where(PlanChangeOrderRow.msisdn == msisdn)
        .order_by(PlanChangeOrderRow.created_at.desc(), PlanChangeOrderRow.order_id.desc())
    )
    return [
        PlanChangeOrder(
            r.order_id, r.msisdn, r.from_plan, r.to_plan, r.effective_date, r.created_at
        )
        for r in session.scalars(query)
    ]


def credit_account(
    session: Session,
    msisdn: str,
    amount: Decimal,
    reference: str,
    now: dt.datetime,
    credit_id: str,
) -> Credit:
    """Record the credit and raise the balance in one transaction, unless ``reference``
    was credited already (then that credit is returned)."""
    if amount <= 0:
        raise CreditRefused(f"a credit must be above zero, not {amount}")
    amount = amount.quantize(CENT)
    customer_row(session, msisdn)
    first = session.scalars(
        select(AccountCreditRow).where(AccountCreditRow.reference == reference)
    ).first()
    if first is not None:
        return _credit_of(first, msisdn)
    row = AccountCreditRow(
        credit_id=credit_id, msisdn=msisdn, amount=amount, reference=reference, created_at=now
    )
    session.add(row)
    session.flush()  # a second writer of the reference fails here, before the balance moves
    session.execute(
        update(CustomerRow)
        .where(CustomerRow.msisdn == msisdn)
        .values(balance=CustomerRow.balance + amount)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return _credit(row)


def credits(session: Session, msisdn: str) -> list[Credit]:
    """The customer's credits, newest first."""
    customer_row(session, msisdn)
    query = (
        select(AccountCreditRow)
        .where(AccountCreditRow.msisdn == msisdn)
        .order_by(AccountCreditRow.created_at.desc(), AccountCreditRow.credit_id.desc())
    )
    return [_credit(row) for row in session.scalars(query)]


def _credit_of(row: AccountCreditRow, msisdn: str) -> Credit:
    if row.msisdn != msisdn:
        raise CreditRefused(f"reference {row.reference} is another customer's credit")
    return _credit(row)


def _credit(row: AccountCreditRow) -> Credit:
    return Credit(row.credit_id, row.msisdn, row.amount, row.reference, row.created_at)


class SqlCredits:
    """The port's credit calls on ``SqlBillingService`` (mixed into it)."""

    _clock: Callable[[], dt.datetime]

    async def _run(self, work: Callable[[Session], T]) -> T:
        raise NotImplementedError  # SqlBillingService's

    async def _retry_on_conflict(self, work: Callable[[Session], T]) -> T:
        raise NotImplementedError  # SqlBillingService's

    async def plan_changes(self, msisdn: str) -> list[PlanChangeOrder]:
        return await self._run(lambda s: plan_changes(s, msisdn))

    async def credit_account(self, msisdn: str, amount: Decimal, reference: str) -> Credit:
        now = self._clock()

        def work(s: Session) -> Credit:
            number = next_id(s, AccountCreditRow.credit_id, CREDIT_PREFIX, now)
            return credit_account(s, msisdn, amount, reference, now, number)

        return await self._retry_on_conflict(work)

    async def credits(self, msisdn: str) -> list[Credit]:
        return await self._run(lambda s: credits(s, msisdn))

    async def credits_granted(self, since: dt.datetime) -> tuple[int, Decimal]:
        def work(s: Session) -> tuple[int, Decimal]:
            count, total = s.execute(
                select(func.count(), func.coalesce(func.sum(AccountCreditRow.amount), 0)).where(
                    AccountCreditRow.created_at >= since
                )
            ).one()
            return int(count), Decimal(str(total)).quantize(Decimal("0.01"))

        return await self._run(work)
