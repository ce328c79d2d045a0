"""Logs of the project's processes: phone numbers masked (``+86138****0001``), no secrets."""

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


def configure_logging() -> None:
    """INFO to stderr with phone numbers masked; httpx's request lines only on warnings
    (their URLs carry Rasa's API token, the Bot API token and customers' numbers)."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level="INFO")
    for handler in logging.getLogger().handlers:
        handler.addFilter(MaskingFilter())
    logging.getLogger("httpx").setLevel(logging.WARNING)
