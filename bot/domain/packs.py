"""Which data pack a customer's words name: "5GB的", "DP1G", "第二个", "the first one"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from bot.domain.billing_records import DataPack
from bot.domain.script import to_simplified

_CN_DIGITS = str.maketrans("一二两三四五六七八九", "1223456789")
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:个\s*)?(?:gb|g|吉)(?![a-z])")
_ORDINALS = (
    ("第1", "first", "1st"),
    ("第2", "second", "2nd"),
    ("第3", "third", "3rd"),
)


def match_pack(text: str, packs: Sequence[DataPack]) -> DataPack | None:
    """The one pack ``text`` names by code, size or place in the list; None if unclear."""
    words = to_simplified(text).lower().translate(_CN_DIGITS)
    by_code = [p for p in packs if re.search(rf"(?<![a-z0-9]){p.code.lower()}(?![a-z0-9])", words)]
    if len(by_code) == 1:
        return by_code[0]
    sizes = {Decimal(size) for size in _SIZE.findall(words)}
    by_size = [p for p in packs if p.data_gb in sizes]
    if len(by_size) == 1:
        return by_size[0]
    for index, names in enumerate(_ORDINALS[: len(packs)]):
        if any(name in words for name in names):
            return packs[index]
    return None
