"""The kinds of notice a customer names, by SMS code or in words.

Codes follow the classic scheme: ``QX`` (取消, off) or ``KT`` (开通, on), then the kind's
code (``YE`` balance, ``LL`` data, ``ZD`` bill, ``YH`` 优惠 plan offers, none for every
kind), then ``TX`` (提醒): ``QXLLTX`` turns data alerts off, ``QXYHTX`` plan offers,
``KTTX`` turns every kind back on. In words,
the kinds are read from the text in Simplified (``bot.domain.script``) with the lexicon
below; a message that names no kind means every kind.
"""

from __future__ import annotations

import re
import unicodedata

from bot.domain.notice_kinds import NoticeKind
from bot.domain.script import to_simplified

ALL_KINDS = frozenset(NoticeKind)
OFF, ON = "QX", "KT"
KIND_CODES: dict[NoticeKind, str] = {
    NoticeKind.BALANCE: "YE",
    NoticeKind.DATA: "LL",
    NoticeKind.BILL: "ZD",
    NoticeKind.OFFER: "YH",  # 优惠: plan offers
}
_CODE = re.compile(r"(QX|KT)(YE|LL|ZD|YH)?TX")
_BY_CODE = {code: kind for kind, code in KIND_CODES.items()}

# Words customers use for each kind (Simplified; English as whole words, plural allowed).
KIND_WORDS: dict[NoticeKind, tuple[str, ...]] = {
    NoticeKind.BALANCE: (
        "余额",
        "欠费",
        "话费不足",
        "话费余额",
        "缴费",
        "交费",
        "交话费",
        "充值",
        "停机",
        "催费",
        "催缴",
        "balance",
        "arrears",
        "low credit",
        "credit",
        "top up",
        "top-up",
        "topup",
        "overdue",
        "payment reminder",
        "owe",
    ),
    NoticeKind.DATA: (
        "流量",
        "上网",
        "数据",
        "用量",
        "超量",
        "data",
        "usage",
        "internet",
        "gb",
    ),
    NoticeKind.BILL: (
        "账单",
        "月结",
        "话费单",
        "出账",
        "bill",
        "billing",
        "statement",
        "invoice",
    ),
    NoticeKind.OFFER: (
        "优惠",
        "推荐",
        "促销",
        "营销",
        "推销",
        "广告",
        "划算",
        "offer",
        "promotion",
        "promo",
        "deal",
        "marketing",
        "recommendation",
    ),
}


def notice_code(text: str | None) -> tuple[bool, frozenset[NoticeKind]] | None:
    """``(enabled, kinds)`` when ``text`` is exactly a notice code, else None."""
    if not text:
        return None
    match = _CODE.fullmatch(unicodedata.normalize("NFKC", text).strip().upper())
    if match is None:
        return None
    kinds = frozenset({_BY_CODE[match.group(2)]}) if match.group(2) else ALL_KINDS
    return match.group(1) == ON, kinds


def codes_for(enabled: bool, kinds: frozenset[NoticeKind]) -> list[str]:
    """The codes that turn ``kinds`` on (or off): one for every kind, else one per kind."""
    prefix = ON if enabled else OFF
    if kinds == ALL_KINDS:
        return [f"{prefix}TX"]
    return [f"{prefix}{KIND_CODES[kind]}TX" for kind in NoticeKind if kind in kinds]


def kinds_named(text: str | None) -> frozenset[NoticeKind]:
    """The kinds the text names in words (Simplified or Traditional, or English)."""
    lowered = to_simplified(text or "").lower()
    return frozenset(
        kind for kind, words in KIND_WORDS.items() if any(_has(lowered, w) for w in words)
    )


def kinds_meant(text: str | None) -> frozenset[NoticeKind]:
    """The kinds a message means: its code's, else those it names, else every kind."""
    code = notice_code(text)
    if code is not None:
        return code[1]
    return kinds_named(text) or ALL_KINDS


def _has(text: str, word: str) -> bool:
    """Chinese words anywhere; English ones as whole words (a plural ``s`` allowed)."""
    if not word.isascii():
        return word in text
    return re.search(rf"(?<![a-z]){re.escape(word)}s?(?![a-z])", text) is not None
