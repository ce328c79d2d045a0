"""The due-finder: which notices a customer is due, from billing facts and the time (pure).

"Once per cycle" is the notice key (number, event, cycle): the balance kind has the
events ``low_balance`` and ``arrears``, the data kind ``data_unusual`` (use well above
the customer's own, below 80 %), ``data_warn`` (80 %) and ``data_full`` (100 %), the
bill kind ``bill`` whose cycle is the bill's month. The billing cycle is the calendar
month in the operator's zone. The data allowance counts the packs bought this cycle.

At most one data notice is due at a time. An unusual use (``bot.notices.pace``) is
explained once per cycle, in the cycle's first data notice (``unsent``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from bot.domain.formatting import fmt_gb, fmt_money
from bot.domain.notice_kinds import NoticeKind
from bot.notices.pace import unusual_ratio
from bot.notices.settings import NoticeSettings

LOW_BALANCE = "low_balance"
ARREARS = "arrears"
DATA_UNUSUAL = "data_unusual"
DATA_WARN = "data_warn"
DATA_FULL = "data_full"
DATA_EVENTS = (DATA_UNUSUAL, DATA_WARN, DATA_FULL)  # in the order a cycle goes through them
BILL = "bill"
PLAN_OFFER = "plan_offer"  # a plan that saves money, once a quarter (bot/notices/offers.py)
KIND_OF = {
    LOW_BALANCE: NoticeKind.BALANCE,
    ARREARS: NoticeKind.BALANCE,
    DATA_UNUSUAL: NoticeKind.DATA,
    DATA_WARN: NoticeKind.DATA,
    DATA_FULL: NoticeKind.DATA,
    BILL: NoticeKind.BILL,
    PLAN_OFFER: NoticeKind.OFFER,
}
# The external intent each event triggers in the customer's conversation (domain/notices.yml).
INTENT_OF = {
    LOW_BALANCE: "EXTERNAL_notice_balance",
    ARREARS: "EXTERNAL_notice_balance",
    DATA_UNUSUAL: "EXTERNAL_notice_data",
    DATA_WARN: "EXTERNAL_notice_data",
    DATA_FULL: "EXTERNAL_notice_data_full",
    BILL: "EXTERNAL_notice_bill",
    PLAN_OFFER: "EXTERNAL_notice_offer",
}
# A data notice's figures besides amount, limit and percent (entities, as the rest).
UNUSUAL_FIGURE = "notice_unusual"  # times the customer's usual use by now: "1.8"
MONTHS_FIGURE = "notice_months"  # how many completed months "usual" is from
PACKS_FIGURE = "notice_packs"  # data packs bought this cycle: "2"
PACK_GB_FIGURE = "notice_pack_gb"  # the data they add: "6.0"
FOLLOW_UP_FIGURE = "notice_follow_up"  # after data_full: what follows, packs or how to top up
FOLLOW_UP_PACKS, FOLLOW_UP_TOP_UP = "packs", "top_up"


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
    usual_data_gb: Decimal | None = None  # the average completed month (up to six)
    usual_months: int = 0  # how many months that average is of
    packs_bought: int = 0  # data packs bought this cycle (still valid)
    pack_data_gb: Decimal = Decimal("0")  # the data they add to the plan's allowance
    cheapest_pack: Decimal | None = None  # the price of the cheapest pack on sale

    @property
    def can_buy_pack(self) -> bool:
        """Whether the balance pays for a pack (never in arrears)."""
        return self.balance >= 0 and (
            self.cheapest_pack is None or self.balance >= self.cheapest_pack
        )


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
    found = [n for n in (_balance(facts, cycle, settings), _data(facts, local, settings)) if n]
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


def _data(facts: CustomerFacts, local: dt.datetime, settings: NoticeSettings) -> Notice | None:
    allowance = facts.data_allowance_gb + facts.pack_data_gb
    if allowance <= 0:
        return None
    share = (facts.data_used_gb * 100 / allowance).to_integral_value(rounding=ROUND_DOWN)
    ratio = unusual_ratio(
        facts.data_used_gb, facts.usual_data_gb, local, settings.data_unusual_factor
    )
    if share >= 100:
        event = DATA_FULL
    elif share >= settings.data_warn_percent:
        event = DATA_WARN
    elif ratio is not None:
        event = DATA_UNUSUAL
    else:
        return None
    figures = {
        "notice_amount": fmt_gb(facts.data_used_gb),
        "notice_limit": fmt_gb(allowance),
        "notice_percent": str(min(int(share), 100)),
    }
    if facts.packs_bought:
        figures[PACKS_FIGURE] = str(facts.packs_bought)
        figures[PACK_GB_FIGURE] = fmt_gb(facts.pack_data_gb)
    if ratio is not None:
        figures[UNUSUAL_FIGURE] = str(ratio)
        figures[MONTHS_FIGURE] = str(facts.usual_months)
    if event == DATA_FULL:
        figures[FOLLOW_UP_FIGURE] = FOLLOW_UP_PACKS if facts.can_buy_pack else FOLLOW_UP_TOP_UP
    return Notice(facts.msisdn, event, cycle_of(local), figures)


def _bill(facts: CustomerFacts, cycle: str) -> Notice | None:
    """The newest bill, if it is last month's (or this one's): older bills are not news."""
    if facts.bill_month is None or facts.bill_amount is None:
        return None
    if facts.bill_month < previous_cycle(cycle):
        return None
    figures = {"notice_amount": fmt_money(facts.bill_amount), "notice_month": facts.bill_month}
    return Notice(facts.msisdn, BILL, facts.bill_month, figures)


def related(due: list[Notice]) -> list[Notice]:
    """``due`` and the cycle's other data notices: what ``unsent`` asks the record about."""
    data = {(n.msisdn, n.cycle) for n in due if n.kind is NoticeKind.DATA}
    return due + [Notice(msisdn, event, cycle) for msisdn, cycle in data for event in DATA_EVENTS]


def unsent(due: list[Notice], recorded: set[str]) -> list[Notice]:
    """The notices of ``due`` that are not recorded yet, settled against the cycle's data
    notices: none after a later one (no 80 % after 100 %, no ``data_unusual`` after
    either), and the unusual-use explanation only in the cycle's first data notice."""
    found = []
    for notice in due:
        if notice.key in recorded:
            continue
        if notice.kind is NoticeKind.DATA:
            earlier = _recorded_data_events(notice, recorded)
            rank = DATA_EVENTS.index(notice.event)
            if any(DATA_EVENTS.index(event) >= rank for event in earlier):
                continue
            if earlier:
                notice = _without_explanation(notice)
        found.append(notice)
    return found


def _recorded_data_events(notice: Notice, recorded: set[str]) -> list[str]:
    return [e for e in DATA_EVENTS if Notice(notice.msisdn, e, notice.cycle).key in recorded]


def _without_explanation(notice: Notice) -> Notice:
    figures = {k: v for k, v in notice.figures.items() if k not in (UNUSUAL_FIGURE, MONTHS_FIGURE)}
    return Notice(notice.msisdn, notice.event, notice.cycle, figures)
