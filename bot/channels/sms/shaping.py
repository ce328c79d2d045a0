"""How a reply is shaped for SMS: the one place for the medium's rules.

- **Segments** (3GPP TS 23.038 / 23.040): a text made only of GSM 03.38 characters
  is sent in GSM-7, 160 septets in a single message and 153 per part when
  concatenated (the user data header takes the rest); characters of the extension
  table take two septets and are never split across parts. Anything else (Chinese,
  emoji) is sent in UCS-2: 70 UTF-16 code units alone, 67 per part, surrogate pairs
  kept together.
- **Budget**: one reply fits in ``MAX_REPLY_SEGMENTS`` segments; a long list is sent
  as several replies of ``PLANS_PER_MESSAGE`` items (``in_messages``).
- **Buttons** are numbered lines ("1. Confirm") answered with a bare digit.

Pure functions, no framework imports: the SMS channel, its gateways and the actions
that list many items all read the rules from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7 = "GSM-7"
UCS2 = "UCS-2"
_LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}  # units alone, units per concatenated part

MAX_REPLY_SEGMENTS = 3  # the most segments one reply may take
PLANS_PER_MESSAGE = 3  # catalogue lines per reply: keeps each within MAX_REPLY_SEGMENTS


@dataclass(frozen=True)
class Segmented:
    """A text's encoding and its parts as the network sends them."""

    encoding: str
    parts: list[str]

    @property
    def count(self) -> int:
        return len(self.parts)


def encoding_of(text: str) -> str:
    """GSM-7 when every character is in the GSM 03.38 tables, else UCS-2."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        return GSM7
    return UCS2


def _units(ch: str, encoding: str) -> int:
    if encoding == GSM7:
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def segment(text: str) -> Segmented:
    """Split ``text`` into the parts of a concatenated SMS."""
    encoding = encoding_of(text)
    single, per_part = _LIMITS[encoding]
    if sum(_units(ch, encoding) for ch in text) <= single:
        return Segmented(encoding, [text])
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        size = _units(ch, encoding)
        if used + size > per_part:
            parts.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += size
    if current:
        parts.append("".join(current))
    return Segmented(encoding, parts)


def in_messages(items: Sequence[T], per_message: int = PLANS_PER_MESSAGE) -> list[list[T]]:
    """``items`` in order, ``per_message`` to a reply (the last may have fewer)."""
    if per_message < 1:
        raise ValueError("per_message must be at least 1")
    return [list(items[i : i + per_message]) for i in range(0, len(items), per_message)]


def render_buttons(text: str, buttons: list[dict[str, Any]] | None) -> str:
    """Append the buttons as numbered options ("1. Confirm")."""
    if not buttons:
        return text
    options = "\n".join(f"{i}. {b.get('title', '')}" for i, b in enumerate(buttons, start=1))
    return f"{text}\n{options}" if text else options


def button_reply(text: str, buttons: list[dict[str, Any]] | None) -> str | None:
    """The payload of the option a bare digit picks, or None."""
    choice = text.strip().rstrip(".")
    if not buttons or not choice.isdigit():
        return None
    index = int(choice)
    if 1 <= index <= len(buttons):
        payload = buttons[index - 1].get("payload")
        return str(payload) if payload else None
    return None


def last_buttons(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """Buttons of the bot's last message since the customer last wrote."""
    buttons = None
    for event in events:
        kind = event.get("event")
        if kind == "user":
            buttons = None
        elif kind == "bot":
            buttons = (event.get("data") or {}).get("buttons") or buttons
    return buttons
