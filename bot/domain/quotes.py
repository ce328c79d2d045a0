"""What a customer was quoted when asked to confirm: the price, what it buys, and when.

A proposal (``bot.state.proposals``) stores its quote; confirming compares it with
what the catalogue says at that moment, so a price, allowance or date that moved in
between is quoted again instead of charged.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Quote:
    """The terms stated in a confirmation question."""

    price: Decimal  # monthly fee (plan, service) or price (pack); 38 == 38.00
    allowance: str = ""  # what the price buys, e.g. "30GB/500min/100sms"; "" for none
    date: dt.date | None = None  # effective from (plan change) or valid until (pack)

    def dumps(self) -> str:
        """The quote as stored (JSON text)."""
        date = self.date.isoformat() if self.date else None
        return json.dumps({"price": str(self.price), "allowance": self.allowance, "date": date})

    @classmethod
    def loads(cls, text: str | None) -> Quote | None:
        """The stored quote, or None for none (or one that cannot be read)."""
        if not text:
            return None
        try:
            data = json.loads(text)
            date = dt.date.fromisoformat(data["date"]) if data.get("date") else None
            return cls(Decimal(data["price"]), str(data.get("allowance") or ""), date)
        except (ValueError, KeyError, TypeError, ArithmeticError):
            return None


def _number(value: Decimal) -> str:
    """``30``, ``1.5``: the same text for the same amount, whatever its scale."""
    return format(Decimal(value).normalize(), "f")


def plan_quote(
    fee: Decimal, data_gb: Decimal, voice_min: int, sms: int, effective: dt.date
) -> Quote:
    """A plan change: the new monthly fee, its allowances and the date it starts."""
    return Quote(fee, f"{_number(data_gb)}GB/{voice_min}min/{sms}sms", effective)


def pack_quote(price: Decimal, data_gb: Decimal, valid_until: dt.date) -> Quote:
    """A data pack: its price, its data and the last day it is valid."""
    return Quote(price, f"{_number(data_gb)}GB", valid_until)


def service_quote(monthly_fee: Decimal) -> Quote:
    """An unsubscription: the monthly fee it saves."""
    return Quote(monthly_fee)
