"""Phone numbers and one-time codes in what a customer types."""

from __future__ import annotations

import re
import unicodedata

_PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4})(?!\d)")
_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def phone_from_text(text: str) -> str | None:
    """A mainland mobile number in the text, as E.164 (``+8613800000001``)."""
    match = _PHONE.search(unicodedata.normalize("NFKC", text))
    return "+86" + re.sub(r"[\s-]", "", match.group(1)) if match else None


def code_from_text(text: str) -> str | None:
    """A 6-digit code in the text."""
    match = _CODE.search(unicodedata.normalize("NFKC", text))
    return match.group(1) if match else None


def is_bare_number(text: str) -> bool:
    """The whole message is a phone number or a 6-digit code, nothing else."""
    normalized = unicodedata.normalize("NFKC", text).strip()
    return bool(_PHONE.fullmatch(normalized) or _CODE.fullmatch(normalized))
