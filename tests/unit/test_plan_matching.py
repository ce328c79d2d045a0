"""Finding the plan a customer names in free text."""

from __future__ import annotations

import pytest

from actions.plan_matching import match_plan
from tests.fakes import FakeBillingService

PLANS = FakeBillingService().plans


def code(text: str) -> str | None:
    plan = match_plan(text, PLANS)
    return plan.code if plan else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("换成58元套餐", "P58"),
        ("switch to Max 88", "P88"),
        ("长者套餐", "SENIOR8"),
        ("P128", "P128"),
        ("p38 please", "P38"),
        ("换成P58套餐", "P58"),
        ("我要办畅聊18元套餐", "P18"),
        ("the senior plan", "SENIOR8"),
        ("Premier 128", "P128"),
        ("I want the 8 yuan plan", "SENIOR8"),
    ],
)
def test_names_one_plan(text: str, expected: str) -> None:
    assert code(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "58 or 88?",
        "P38 or P58",
        "a cheaper plan please",
        "换套餐",
        "change my plan to 60",
        "",
    ],
)
def test_ambiguous_or_unknown_is_none(text: str) -> None:
    assert code(text) is None


def test_code_is_not_matched_inside_a_longer_code() -> None:
    """ "P128" must not also name P12x or be read as "P18"."""
    assert code("P128 plan") == "P128"


def test_number_inside_a_decimal_is_not_a_fee() -> None:
    assert code("my bill was 58.50") is None
