"""Signed identity in message metadata: how a verifying channel vouches for a number.

Rasa stores any metadata a client sends (the REST channel passes it through
as it is), so a bare ``{"msisdn": ...}`` proves nothing. A channel that has
verified the sender (the SMS gateway signs every request) adds an HMAC of
channel and number made with ``IDENTITY_SECRET``, which the action server
checks before it looks an account up.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

SIGNATURE_KEY = "identity_sig"


def _signature(secret: str, channel: str, msisdn: str) -> str:
    message = f"{channel}\n{msisdn}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def identity_metadata(secret: str, channel: str, msisdn: str) -> dict[str, str]:
    """Metadata that vouches for ``msisdn`` on ``channel``."""
    return {
        "channel": channel,
        "msisdn": msisdn,
        SIGNATURE_KEY: _signature(secret, channel, msisdn),
    }


def verified_identity(secret: str | None, metadata: Any) -> tuple[str, str] | None:
    """``(channel, msisdn)`` if the metadata carries a valid signature, else None."""
    if not secret or not isinstance(metadata, dict):
        return None
    channel, msisdn, signature = (metadata.get(k) for k in ("channel", "msisdn", SIGNATURE_KEY))
    if not all(isinstance(v, str) and v for v in (channel, msisdn, signature)):
        return None
    assert isinstance(signature, str) and isinstance(channel, str) and isinstance(msisdn, str)
    if not signature.isascii():
        return None
    if not hmac.compare_digest(_signature(secret, channel, msisdn), signature):
        return None
    return channel, msisdn
