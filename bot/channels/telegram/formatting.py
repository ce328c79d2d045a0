"""Shaping text for Telegram: HTML escaping, the 4096-character split, phone numbers."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

MESSAGE_LIMIT = 4096
# Where a long message may be cut, best first: paragraph, line, sentence, word.
_BOUNDARIES = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"(?<=[。！？；!?;])|(?<=[.:])\s"),
    re.compile(r"[ \t，,、]"),
)


def to_html(text: str) -> str:
    """``text`` escaped for Telegram's HTML parse mode (``<``, ``>``, ``&`` and quotes)."""
    return html.escape(text)


def html_cost(char: str) -> int:
    """Characters one character takes once escaped for HTML."""
    return len(html.escape(char))


def split_message(
    text: str, limit: int = MESSAGE_LIMIT, cost: Callable[[str], int] = len
) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` (as measured by ``cost`` per character).

    Cuts at a paragraph, line, sentence or word boundary in the second half of
    a part when there is one, and hard at the limit otherwise.
    """
    parts: list[str] = []
    rest = text.strip()
    while rest:
        end = _fitting_prefix(rest, limit, cost)
        if end == len(rest):
            parts.append(rest)
            break
        cut = _best_cut(rest[:end], minimum=end // 2) or end
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [part for part in parts if part]


def _fitting_prefix(text: str, limit: int, cost: Callable[[str], int]) -> int:
    used = 0
    for index, char in enumerate(text):
        used += cost(char)
        if used > limit:
            return max(index, 1)
    return len(text)


def _best_cut(window: str, minimum: int) -> int | None:
    for boundary in _BOUNDARIES:
        cuts = [m.end() for m in boundary.finditer(window) if m.end() >= minimum]
        if cuts:
            return cuts[-1]
    return None
