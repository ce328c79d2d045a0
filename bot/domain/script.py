"""Simplified and Traditional Chinese: which script a customer writes, and conversion both ways.

Conversion is OpenCC's (``opencc`` on PyPI, the converter the operators' own systems
use): Traditional text is read as Simplified before the NLU pipeline sees it, and
replies are written in Traditional for a customer who writes Traditional. Figures,
codes and Latin text pass through unchanged. Converters are built on first use.
"""

from __future__ import annotations

import functools
import re

import opencc

SIMPLIFIED = "hans"
TRADITIONAL = "hant"
# Traditional output: s2tw (Taiwan standard characters, no vocabulary changes) by default;
# s2hk for Hong Kong characters; s2twp also turns mainland words into Taiwan ones.
OUTPUT_VARIANTS = ("s2tw", "s2hk", "s2twp", "s2t")
DEFAULT_OUTPUT = "s2tw"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Words that regions write differently, after character conversion, to the mainland
# words the training data uses (same length, so entity offsets stay valid).
_MAINLAND_WORDS = {
    "帐单": "账单",
    "帐户": "账户",
    "讯号": "信号",
    "影片彩铃": "视频彩铃",
    "数据用量": "流量用量",
    "月费计划": "月费套餐",
    "上网计划": "上网套餐",
    "宽频": "宽带",
    "网路": "网络",
    "门号": "号码",
    "简讯": "短信",
    "储值": "充值",
    "方案": "套餐",
}
_MAINLAND = re.compile("|".join(map(re.escape, _MAINLAND_WORDS)))


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def has_cjk(text: str) -> bool:
    """Whether the text holds a Chinese character."""
    return bool(_CJK.search(text))


def detect_script(text: str | None) -> str | None:
    """``TRADITIONAL`` or ``SIMPLIFIED`` when the characters decide it, else None.

    Most characters are the same in both scripts ("套餐", "流量"): only a text with a
    character of one script alone decides; the conversation otherwise keeps its script.
    """
    if not text or not _CJK.search(text):
        return None
    if _converter("t2s").convert(text) != text:
        return TRADITIONAL
    if _converter("s2t").convert(text) != text:
        return SIMPLIFIED
    return None


def to_simplified(text: str) -> str:
    """The text in Simplified characters and mainland words (same length as ``text``)."""
    converted = _converter("t2s").convert(text)
    if len(converted) != len(text):  # OpenCC's phrases are length-preserving; be sure
        return text
    return _MAINLAND.sub(lambda m: _MAINLAND_WORDS[m.group(0)], converted)


def to_traditional(text: str, variant: str = DEFAULT_OUTPUT) -> str:
    """The text in Traditional characters (``variant`` is one of ``OUTPUT_VARIANTS``)."""
    if variant not in OUTPUT_VARIANTS:
        raise ValueError(f"unknown Traditional variant {variant!r}: one of {OUTPUT_VARIANTS}")
    return _converter(variant).convert(text)
