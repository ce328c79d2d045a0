"""How an SMS is split into concatenated segments (3GPP TS 23.038 / 23.040).

A text made only of GSM 03.38 characters is sent in GSM-7: 160 septets in a
single message, 153 per part when concatenated (the user data header takes
the rest); characters of the extension table take two septets and are never
split across parts. Anything else (Chinese, emoji) is sent in UCS-2: 70
UTF-16 code units alone, 67 per part, surrogate pairs kept together.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7 = "GSM-7"
UCS2 = "UCS-2"
_LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


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
