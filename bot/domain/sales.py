"""Sales and services the assistant cannot do itself: which one a message asks about.

Broadband, a new SIM, number porting, roaming and top-up are sold or done elsewhere
(a shop, the app, the hotline); the assistant says where and how, and offers a person.
"""

from __future__ import annotations

import re

from bot.domain.script import to_simplified

BROADBAND, SIM, PORTING, ROAMING, TOP_UP, GENERAL = (
    "broadband",
    "sim",
    "porting",
    "roaming",
    "top_up",
    "general",
)
TOPICS = (BROADBAND, SIM, PORTING, ROAMING, TOP_UP, GENERAL)
# Checked in this order: porting before SIM ("转网换卡"), top-up before the rest.
_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        PORTING,
        (
            "携号转网",
            "转网",
            "转入",
            "带号",
            "port my number",
            "porting",
            "keep my number",
            "transfer my number",
            "switch operator",
            "switch carrier",
        ),
    ),
    (
        TOP_UP,
        (
            "充值",
            "充话费",
            "缴费",
            "交话费",
            "充钱",
            "top up",
            "top-up",
            "topup",
            "recharge",
            "add credit",
            "pay my bill",
            "add money",
        ),
    ),
    (ROAMING, ("漫游", "出国", "境外", "国外", "roaming", "abroad", "overseas", "travel")),
    (BROADBAND, ("宽带", "光纤", "装网", "broadband", "fibre", "fiber", "home internet", "wifi")),
    (
        SIM,
        (
            "新卡",
            "办卡",
            "补卡",
            "换卡",
            "sim",
            "esim",
            "新号",
            "开户",
            "new number",
            "new line",
            "replacement card",
        ),
    ),
)


def sales_topic(text: str) -> str:
    """The service a sales request is about (``GENERAL`` when none is named)."""
    lowered = to_simplified(text).lower()
    for topic, words in _KEYWORDS:
        if any(_contains(lowered, word) for word in words):
            return topic
    return GENERAL


def _contains(text: str, word: str) -> bool:
    if not word.isascii():
        return word in text
    return re.search(rf"(?<![a-z]){re.escape(word)}", text) is not None
