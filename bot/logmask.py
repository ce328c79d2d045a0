"""Logs of the project's processes: phone numbers masked (``+86138****0001``), no secrets.

Secrets that ride in a URL are masked wherever a request line is logged: the Kannel
secret in its post-url path (``/webhooks/sms/kannel/****``) and any ``token=`` or
``sender=`` query parameter (Rasa's ``?token=``, an old web-chat client's id).
Sanic's access log keeps the request line in the record's ``request`` field: it is
masked there too (``logging.yml`` puts the filter on the ``sanic.access`` logger).
"""

from __future__ import annotations

import logging
import re

from bot.domain.numbers import mask_numbers

_SECRETS_IN_URLS = re.compile(
    r"(/webhooks/sms/kannel/)[^/?\s\"']+|([?&](?:token|sender)=)[^&\s\"']+"
)


def mask_secrets(text: str) -> str:
    """``text`` with the secrets of request lines replaced by ``****``."""
    return _SECRETS_IN_URLS.sub(lambda match: f"{match.group(1) or match.group(2)}****", text)


class MaskingFilter(logging.Filter):
    """Rewrites each record's message (and request line) with numbers and secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_numbers(mask_secrets(message))
        if masked != message:
            record.msg, record.args = masked, None
        request = getattr(record, "request", None)
        if isinstance(request, str):
            record.request = mask_numbers(mask_secrets(request))
        return True


def configure_logging() -> None:
    """INFO to stderr with phone numbers masked; httpx's request lines only on warnings
    (their URLs carry the Bot API token and customers' numbers)."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level="INFO")
    for handler in logging.getLogger().handlers:
        handler.addFilter(MaskingFilter())
    logging.getLogger("httpx").setLevel(logging.WARNING)
