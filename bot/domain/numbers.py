"""Phone numbers, in one place: the E.164 check (ASCII digits only), normalising what a
person or Telegram gives, finding numbers and one-time codes in text, and masking
numbers for logs."""

from __future__ import annotations

import re
import unicodedata

_PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4})(?!\d)")
_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
# E.164: "+", a non-zero country digit, 6 to 15 digits in all; ASCII digits only.
E164 = re.compile(r"\+[1-9][0-9]{5,14}")
_NUMBER_IN_TEXT = re.compile(r"(?<![\d*])(\+?\d{3,6})(\d{4,9})(\d{4})(?!\d)")
# A number written in groups: "139 1234 5678", "+86 139-1234-5678", "0912.345.678" (groups
# of three digits or more after the first, so that dates such as 2026-12-07 stay).
_GROUPED_NUMBER = re.compile(r"(?<![\d*])(\+?\d{1,4})((?:[ .-]\d{3,5}){1,4})(?![\d*])")
_GROUPED_DIGITS = 8  # a grouped run with this many digits or more is a number to mask


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


def is_msisdn(value: str) -> bool:
    """Whether ``value`` is a number in E.164 form (``+8613800000001``)."""
    return bool(E164.fullmatch(value))


def normalise_msisdn(number: str) -> str | None:
    """A number as Telegram or a person writes it, in E.164 form, or None.

    Spaces, dashes, dots and brackets are dropped and an international ``00``
    prefix becomes ``+`` (``8613800000001`` -> ``+8613800000001``).
    """
    compact = re.sub(r"[\s\-.()]", "", number or "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif not compact.startswith("+"):
        compact = "+" + compact
    return compact if is_msisdn(compact) else None


def mask_msisdn(msisdn: str) -> str:
    """Mask the middle digits of a phone number for logs (``+86138****0001``)."""
    if len(msisdn) < 8:
        return "****"
    return f"{msisdn[:-8]}****{msisdn[-4:]}"


def mask_numbers(text: str) -> str:
    """``text`` with every phone-number-like run of digits masked (prefix and last four
    kept), also when written in groups ("+86 139-1234-5678" -> "+86 ***-****-5678")."""
    masked = _NUMBER_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _GROUPED_NUMBER.sub(_mask_groups, masked)


def _mask_groups(match: re.Match[str]) -> str:
    """Every digit but a leading ``+`` country code and the last four, separators kept."""
    whole = match.group(0)
    if sum(ch.isdigit() for ch in whole) < _GROUPED_DIGITS:
        return whole
    head = match.group(1) if match.group(1).startswith("+") else ""
    masked: list[str] = []
    kept = 0
    for ch in reversed(whole[len(head) :]):
        if ch.isdigit():
            kept += 1
            masked.append(ch if kept <= 4 else "*")
        else:
            masked.append(ch)
    return head + "".join(reversed(masked))


_LONG_DIGITS = re.compile(r"(?<![\d*])\d{6,}(?![\d*])")


def mask_all_numbers(text: str) -> str:
    """``mask_numbers``, then every other run of 6+ digits (codes, account numbers) as ``*``."""
    return _LONG_DIGITS.sub(lambda m: "*" * len(m.group(0)), mask_numbers(text))
