"""A logging filter that masks phone numbers in every log line (``+86138****0001``)."""

from __future__ import annotations

import logging
import re

_NUMBER = re.compile(r"(?<![\d*])(\+?\d{3,6})(\d{4,9})(\d{4})(?!\d)")


def mask_numbers(text: str) -> str:
    """Keep a number's prefix and last four digits, hide the middle."""
    return _NUMBER.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


class MaskingFilter(logging.Filter):
    """Rewrites each record's message with phone numbers masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
