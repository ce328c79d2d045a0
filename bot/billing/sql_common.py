"""What the SQL stub's parts share: the customer's row, daily numbers and their clashes."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.billing.models import CustomerRow
from bot.billing.port import CustomerNotFound

T = TypeVar("T")


def customer_row(session: Session, msisdn: str) -> CustomerRow:
    """The customer's row; raises ``CustomerNotFound``."""
    row = session.get(CustomerRow, msisdn)
    if row is None:
        raise CustomerNotFound(msisdn)
    return row


def next_id(session: Session, column: Any, prefix: str, now: dt.datetime) -> str:
    """Daily sequence ids such as ``TK2611280001``; the primary key guards races."""
    stem = f"{prefix}{now:%y%m%d}"
    count = session.scalar(select(func.count()).where(column.like(f"{stem}%"))) or 0
    return f"{stem}{count + 1:04d}"


async def retry_on_conflict(
    run: Callable[[Callable[[Session], T]], Awaitable[T]],
    numbering: threading.Lock,
    work: Callable[[Session], T],
    attempts: int = 5,
) -> T:
    """``run`` ``work``, which numbers a new row, again when another writer took its number.

    Numbering is serialised within this process (``numbering``), so only other processes
    (a second action server) compete for a number; a short random pause spreads them apart.
    """

    def numbered(session: Session) -> T:
        with numbering:
            return work(session)

    for attempt in range(attempts):
        try:
            return await run(numbered)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(random.uniform(0.005, 0.03) * (attempt + 1))
    raise AssertionError("unreachable")
