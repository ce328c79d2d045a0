"""HMAC-SHA256 signatures of webhook bodies.

The SMS gateway's scheme, both directions (gateway -> ``/webhooks/sms/webhook``
and bot -> the gateway's outbound API), signs a timestamp with the body:

- ``X-Sms-Timestamp``: Unix time in seconds, ASCII digits only (e.g. ``1732900000``);
- ``X-Sms-Signature``: hex HMAC-SHA256, keyed with ``SMS_GATEWAY_SECRET``, of
  ``b"<timestamp>." + body`` (the header's digits, a dot, the raw body bytes).

A request whose timestamp is more than the window (``DEFAULT_WINDOW_SECONDS``,
either direction) away from the receiver's clock is refused, so a captured
request cannot be replayed once its delivery record is forgotten.

``sign``/``verify`` (the body alone) remain the Telegram bridge's scheme.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

SIGNATURE_HEADER = "X-Sms-Signature"
TIMESTAMP_HEADER = "X-Sms-Timestamp"
DEFAULT_WINDOW_SECONDS = 300
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class SignatureError(Exception):
    """A request's signature or timestamp is missing, malformed, stale or wrong."""


def sign(secret: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``body`` with ``secret``."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str | None) -> bool:
    """Whether ``signature`` is the body's signature (constant-time comparison)."""
    if not signature or not signature.isascii():
        return False
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())


def sign_timestamped(secret: str, timestamp: int | str, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``b"<timestamp>." + body``: the SMS gateway's signature."""
    return sign(secret, f"{timestamp}.".encode("ascii") + body)


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """The ``X-Sms-Timestamp`` and ``X-Sms-Signature`` headers for ``body``, signed now."""
    timestamp = str(int(time.time() if now is None else now))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign_timestamped(secret, timestamp, body),
    }


def check_timestamp(
    header: str | None, now: float | None = None, window: int = DEFAULT_WINDOW_SECONDS
) -> str:
    """The timestamp header, if well-formed and within ``window`` seconds of ``now``.

    Raises ``SignatureError`` otherwise. Cheap: call it before reading the body.
    """
    if header is None:
        raise SignatureError("missing timestamp")
    timestamp = header.strip()
    if not _TIMESTAMP.fullmatch(timestamp):
        raise SignatureError("timestamp must be Unix seconds in ASCII digits")
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > window:
        raise SignatureError("timestamp outside the accepted window")
    return timestamp


def verify_timestamped(
    secret: str,
    body: bytes,
    signature: str | None,
    timestamp: str | None,
    now: float | None = None,
    window: int = DEFAULT_WINDOW_SECONDS,
) -> None:
    """Check an SMS gateway request; raises ``SignatureError`` saying what is wrong."""
    checked = check_timestamp(timestamp, now, window)
    if not verify(secret, f"{checked}.".encode("ascii") + body, signature):
        raise SignatureError("invalid or missing signature")
