"""Where the reply language is decided: from the characters of the customer's message,
else the conversation's or the customer's language, else ``DEFAULT_LANGUAGE``."""

from __future__ import annotations

import re

from bot.domain.commands import parse_command

ZH = "zh"
EN = "en"
LANGUAGES = (ZH, EN)
# The one fall-back when nothing says the customer's language: English, the language of
# every response's variation without a condition (what Rasa says when the slot is unset).
DEFAULT_LANGUAGE = EN

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Codes such as ticket ids (TK2611280001) or plan codes (P38) say nothing of the language.
_CODE = re.compile(r"\b[A-Za-z]*\d[A-Za-z\d]*\b")
# Acknowledgements Chinese customers type in Latin letters as often as English ones
# ("ok" to an agent, "haha", "emm"): a message of only these keeps the conversation's
# language, so a Chinese conversation does not switch to English on "ok" (and the
# rating thanks after an agent's case comes in the language the rating was asked in).
# fmt: off
NEUTRAL_WORDS = frozenset({
    "ok", "okay", "okk", "okok", "kk", "haha", "hahaha", "hh", "hhh", "lol", "emm", "emmm",
    "en", "enen", "oh", "ohh", "wow",
})
# fmt: on
_WORD = re.compile(r"[A-Za-z]+")


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
    latin = _CODE.sub(" ", text)
    if _LATIN_WORD.search(latin):
        words = {w.lower() for w in _WORD.findall(latin)}
        return None if words <= NEUTRAL_WORDS else EN
    return None


def reply_language(*evidence: object) -> str:
    """The language to reply in: the first of ``evidence`` that is a supported language.

    Pass what is known, most telling first (the message's language, the conversation's
    ``language`` slot, the customer's profile language); None and unknown values are
    skipped. With no evidence it is ``DEFAULT_LANGUAGE``.
    """
    return next((str(e) for e in evidence if e in LANGUAGES), DEFAULT_LANGUAGE)
