"""Find the plan a customer names in free text ("换成58元套餐", "switch to Max 88")."""

from __future__ import annotations

import re

from bot.billing.port import Plan
from bot.domain.fuzzy import named_in
from bot.domain.script import to_simplified

_NUMBER = re.compile(r"(?<![\d.])(\d{1,3})(?![\d.])")
_SENIOR_WORDS = ("长者", "老年", "老人", "敬老", "senior", "elder")


def match_plan(text: str, plans: list[Plan]) -> Plan | None:
    """The one plan the text names by code, name, fee or a telling word; else None."""
    lowered = to_simplified(text).lower()
    named = {p.code: p for p in plans if _names(p, lowered)} or {
        p.code: p
        for p in plans
        if named_in(p.name_zh, lowered) or named_in(p.name_en.lower(), lowered)
    }
    if len(named) == 1:
        return next(iter(named.values()))
    if named:
        return None
    if any(word in lowered for word in _SENIOR_WORDS):
        seniors = [p for p in plans if p.min_age is not None]
        return seniors[0] if len(seniors) == 1 else None
    by_fee = {p.code: p for p in plans for n in _NUMBER.findall(lowered) if int(n) == p.monthly_fee}
    return next(iter(by_fee.values())) if len(by_fee) == 1 else None


def _names(plan: Plan, lowered: str) -> bool:
    code = plan.code.lower()
    if re.search(rf"(?<![a-z0-9]){re.escape(code)}(?![0-9])", lowered):
        return True
    return plan.name_zh in lowered or plan.name_en.lower() in lowered
