"""One page of a long list read with ``LIMIT``/``OFFSET``, never the whole table.

A page reads one row more than it shows: that row only says whether a next page exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

T = TypeVar("T")


@dataclass(frozen=True)
class Slice(Generic[T]):
    """Up to ``limit`` items from ``offset``, and whether more follow."""

    items: list[T]
    has_next: bool


def read_slice(
    session: Session, query: Select, limit: int, offset: int, convert: Callable[[Any], T]
) -> Slice[T]:
    """Run ``query`` (ordered, with a unique last key) for one page: one statement."""
    limit, offset = max(1, limit), max(0, offset)
    rows = list(session.scalars(query.limit(limit + 1).offset(offset)))
    return Slice([convert(row) for row in rows[:limit]], len(rows) > limit)
