"""The SMS robot's classic command codes (10086-style), recognised exactly.

A message that is exactly a code (any case, surrounding spaces, full-width
characters) maps to an intent with full confidence, bypassing NLU
uncertainty; a code inside a longer sentence is ordinary text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.domain.numbers import is_bare_number

COMMANDS: dict[str, str] = {
    "YE": "check_balance",
    "CXYE": "check_balance",
    "LL": "check_usage",
    "CXLL": "check_usage",
    "TC": "current_plan",
    "CXTC": "current_plan",
    "ZD": "check_bill",
    "CXZD": "check_bill",
    "0000": "list_subscriptions",
    "RG": "human_handoff",
    "ZRG": "human_handoff",
    "人工": "human_handoff",
    "HELP": "command_help",
    "?": "command_help",
    "帮助": "command_help",
    # --- notice settings: QX (off) / KT (on) + YE balance, LL data, ZD bill, YH offers, or
    # none (all), + TX (bot/domain/notice_words.py reads which kinds)
    "QXTX": "notice_opt_out",
    "QXYETX": "notice_opt_out",
    "QXLLTX": "notice_opt_out",
    "QXZDTX": "notice_opt_out",
    "QXYHTX": "notice_opt_out",
    "KTTX": "notice_opt_in",
    "KTYETX": "notice_opt_in",
    "KTLLTX": "notice_opt_in",
    "KTZDTX": "notice_opt_in",
    "KTYHTX": "notice_opt_in",
    # --- data packs: LLB (流量包) lists the packs on sale to choose from
    "LLB": "buy_data_pack",
}
UNSUBSCRIBE_INTENT = "unsubscribe"
NUMBER_INTENT = "inform_number"
SERVICE_CODE_ENTITY = "service_code"
_UNSUBSCRIBE = re.compile(r"TD\s+([A-Z0-9]{2,16})")


@dataclass(frozen=True)
class Command:
    """A recognised command: the intent it stands for and its argument, if any."""

    intent: str
    service_code: str | None = None


def parse_command(text: str | None) -> Command | None:
    """The command ``text`` is, or None for ordinary text."""
    if not text:
        return None
    normalized = unicodedata.normalize("NFKC", text).strip().upper()
    if normalized in COMMANDS:
        return Command(COMMANDS[normalized])
    match = _UNSUBSCRIBE.fullmatch(normalized)
    if match:
        return Command(UNSUBSCRIBE_INTENT, match.group(1))
    if is_bare_number(normalized):  # a phone number or a one-time code, and nothing else
        return Command(NUMBER_INTENT)
    return None
