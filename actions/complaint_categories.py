"""Recognise a complaint category in what the customer typed."""

from __future__ import annotations

import re

from bot.billing.port import ComplaintCategory
from bot.domain.script import to_simplified

# Checked in this order: the first category with a keyword in the text wins.
_KEYWORDS: tuple[tuple[ComplaintCategory, tuple[str, ...]], ...] = (
    (
        ComplaintCategory.BROADBAND,
        ("宽带", "光猫", "broadband", "fibre", "fiber", "wifi", "router"),
    ),
    (ComplaintCategory.SPAM, ("骚扰", "垃圾短信", "诈骗", "spam", "harass*", "scam", "nuisance")),
    (
        ComplaintCategory.NETWORK,
        (
            "信号",
            "网络",
            "没网",
            "上不了网",
            "网速",
            "掉线",
            "断网",
            "network",
            "signal",
            "coverage",
            "reception",
            "dropped",
        ),
    ),
    (
        ComplaintCategory.BILLING,
        (
            "账单",
            "扣费",
            "多扣",
            "扣错",
            "扣了我",
            "退钱",
            "退款",
            "乱收费",
            "多收",
            "费用",
            "话费",
            "bill",
            "charge",
            "overcharg*",
            "refund",
            "fee",
            "charged",
            "dispute",
        ),
    ),
    (
        ComplaintCategory.SERVICE,
        ("态度", "服务差", "营业员", "客服", "attitude", "rude", "staff", "service"),
    ),
    (ComplaintCategory.OTHER, ("其他", "其它", "other")),
)


def category_from_text(text: str) -> ComplaintCategory | None:
    """The complaint category a message names, if any."""
    lowered = to_simplified(text).lower()
    for category, words in _KEYWORDS:
        if any(_contains(lowered, word) for word in words):
            return category
    return None


def _contains(text: str, word: str) -> bool:
    """Chinese keywords match anywhere; English ones as whole words with an ending
    ("fee", "fees", not "feel"), or as a stem where they end in ``*``."""
    if not word.isascii():
        return word in text
    if word.endswith("*"):
        pattern = rf"(?<![a-z]){re.escape(word[:-1])}"
    else:
        pattern = rf"(?<![a-z]){re.escape(word)}(?:s|es|d|ed|ing)?(?![a-z])"
    return re.search(pattern, text) is not None
