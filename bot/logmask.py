"""A logging filter that masks phone numbers in every log line (``+86138****0001``)."""

from __future__ import annotations

import logging

from bot.domain.numbers import mask_numbers


class MaskingFilter(logging.Filter):
    """Rewrites each record's message with phone numbers masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
