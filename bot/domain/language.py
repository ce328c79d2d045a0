"""Where the reply language is decided: from the characters of the customer's message."""

from __future__ import annotations

import re

from bot.domain.commands import parse_command

ZH = "zh"
EN = "en"
LANGUAGES = (ZH, EN)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Codes such as ticket ids (TK2611280001) or plan codes (P38) say nothing of the language.
_CODE = re.compile(r"\b[A-Za-z]*\d[A-Za-z\d]*\b")


def detect_language(text: str | None) -> str | None:
    """Chinese if the text has Chinese characters, English if it has Latin words.

    Returns None when the text has neither, or is an SMS command code (digits,
    command codes such as YE, codes such as a ticket id,
    emoji, punctuation, a single letter): the conversation then keeps its
    language, which starts as the customer's profile language.
    """
    if not text or parse_command(text) is not None:
        return None
    if _CJK.search(text):
        return ZH
    if _LATIN_WORD.search(_CODE.sub(" ", text)):
        return EN
    return None
