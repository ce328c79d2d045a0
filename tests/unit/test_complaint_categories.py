"""Complaint categories recognised from keywords, in both languages."""

from __future__ import annotations

import pytest

from actions.complaint_categories import category_from_text
from bot.billing.port import ComplaintCategory as C


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("网络信号问题", C.NETWORK),
        ("账单争议", C.BILLING),
        ("宽带问题", C.BROADBAND),
        ("服务态度", C.SERVICE),
        ("骚扰电话", C.SPAM),
        ("其他问题", C.OTHER),
        ("network signal problem", C.NETWORK),
        ("billing dispute", C.BILLING),
        ("broadband problem", C.BROADBAND),
        ("service attitude", C.SERVICE),
        ("spam calls", C.SPAM),
        ("other problem", C.OTHER),
    ],
)
def test_every_category_button_payload_is_recognised(payload: str, expected: C) -> None:
    """The complaint form's buttons send these payloads (domain/complaints.yml)."""
    assert category_from_text(payload) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("家里没网，信号很差", C.NETWORK),
        ("calls keep getting dropped", C.NETWORK),
        ("上个月乱收费", C.BILLING),
        ("I was OVERCHARGED last month", C.BILLING),
        ("光猫一直闪红灯", C.BROADBAND),
        ("the营业员 attitude was bad", C.SERVICE),
        ("收到很多诈骗短信", C.SPAM),
    ],
)
def test_free_text_keywords(text: str, expected: C) -> None:
    assert category_from_text(text) == expected


def test_broadband_wins_over_network_when_both_are_named() -> None:
    assert category_from_text("宽带网络断了") == C.BROADBAND


def test_billing_wins_over_service() -> None:
    assert category_from_text("customer service charged me twice") == C.BILLING


@pytest.mark.parametrize("text", ["hello", "我想投诉", ""])
def test_no_keyword_no_category(text: str) -> None:
    assert category_from_text(text) is None


def test_fee_keyword_does_not_fire_inside_feel() -> None:
    """ "fee" is matched as a substring, so "I feel ..." is read as a billing complaint."""
    assert category_from_text("I feel the shop staff were rude") == C.SERVICE
