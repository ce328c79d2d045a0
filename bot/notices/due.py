"""The due-finder: which notices a customer is due, from billing facts and the time (pure).

"Once per cycle" is the notice key (number, event, cycle): the balance kind has the
events ``low_balance`` and ``arrears``, the data kind ``data_warn`` (80 %) and
``data_full`` (100 %), the bill kind ``bill`` whose cycle is the bill's month. The
billing cycle is the calendar month in the operator's zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from bot.domain.formatting import fmt_gb, fmt_money
from bot.notices.kinds import NoticeKind
from bot.notices.settings import NoticeSettings

LOW_BALANCE = "low_balance"
ARREARS = "arrears"
DATA_WARN = "data_warn"
DATA_FULL = "data_full"
BILL = "bill"
KIND_OF = {
    LOW_BALANCE: NoticeKind.BALANCE,
    ARREARS: NoticeKind.BALANCE,
    DATA_WARN: NoticeKind.DATA,
    DATA_FULL: NoticeKind.DATA,
    BILL: NoticeKind.BILL,
}
# The external intent each event triggers in the customer's conversation (domain.yml).
INTENT_OF = {
    LOW_BALANCE: "EXTERNAL_notice_balance",
    ARREARS: "EXTERNAL_notice_balance",
    DATA_WARN: "EXTERNAL_notice_data",
    DATA_FULL: "EXTERNAL_notice_data_full",
    BILL: "EXTERNAL_notice_bill",
}


@dataclass(frozen=True)
class CustomerFacts:
    """What billing says of one customer, as the due-finder needs it."""

    msisdn: str
    language: str
    balance: Decimal
    data_used_gb: Decimal
    data_allowance_gb: Decimal
    bill_month: str | None = None  # the newest bill (a completed month), if any
    bill_amount: Decimal | None = None


@dataclass(frozen=True)
class Notice:
    """One notice to send: its key, and the figures its text says (entity values)."""

    msisdn: str
    event: str
    cycle: str  # YYYY-MM
    figures: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> NoticeKind:
        return KIND_OF[self.event]

    @property
    def key(self) -> str:
        """``+8613800000005/data_full/2026-11``: unique per customer, event and cycle."""
        return f"{self.msisdn}/{self.event}/{self.cycle}"

    @property
    def intent(self) -> str:
        return INTENT_OF[self.event]


def cycle_of(local: dt.datetime) -> str:
    """The billing cycle (calendar month) of a local time: ``2026-11``."""
    return f"{local:%Y-%m}"


def previous_cycle(cycle: str) -> str:
    """``2026-01`` -> ``2025-12``."""
    year, month = (int(part) for part in cycle.split("-"))
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def due_notices(facts: CustomerFacts, local: dt.datetime, settings: NoticeSettings) -> list[Notice]:
    """The notices ``facts`` call for now (sent or not: the store knows which were)."""
    cycle = cycle_of(local)
    found = [n for n in (_balance(facts, cycle, settings), _data(facts, cycle, settings)) if n]
    bill = _bill(facts, cycle)
    # The customer's language in billing goes along: the conversation may not have one yet.
    return [
        Notice(n.msisdn, n.event, n.cycle, {**n.figures, "notice_language": facts.language})
        for n in found + ([bill] if bill else [])
    ]


def _balance(facts: CustomerFacts, cycle: str, settings: NoticeSettings) -> Notice | None:
    if facts.balance < 0:
        owed = fmt_money(-facts.balance)
        return Notice(facts.msisdn, ARREARS, cycle, {"notice_amount": owed})
    if facts.balance < settings.balance_threshold:
        figures = {
            "notice_amount": fmt_money(facts.balance),
            "notice_limit": fmt_money(settings.balance_threshold),
        }
        return Notice(facts.msisdn, LOW_BALANCE, cycle, figures)
    return None


def _data(facts: CustomerFacts, cycle: str, settings: NoticeSettings) -> Notice | None:
    allowance = facts.data_allowance_gb
    if allowance <= 0:
        return None
    share = (facts.data_used_gb * 100 / allowance).to_integral_value(rounding=ROUND_DOWN)
    if share >= 100:
        event = DATA_FULL
    elif share >= settings.data_warn_percent:
        event = DATA_WARN
    else:
        return None
    figures = {
        "notice_amount": fmt_gb(facts.data_used_gb),
        "notice_limit": fmt_gb(allowance),
        "notice_percent": str(min(int(share), 100) if event == DATA_WARN else 100),
    }
    return Notice(facts.msisdn, event, cycle, figures)


def _bill(facts: CustomerFacts, cycle: str) -> Notice | None:
    """The newest bill, if it is last month's (or this one's): older bills are not news."""
    if facts.bill_month is None or facts.bill_amount is None:
        return None
    if facts.bill_month < previous_cycle(cycle):
        return None
    figures = {"notice_amount": fmt_money(facts.bill_amount), "notice_month": facts.bill_month}
    return Notice(facts.msisdn, BILL, facts.bill_month, figures)
