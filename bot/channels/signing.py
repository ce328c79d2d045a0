"""HMAC-SHA256 signatures of webhook bodies (the SMS gateway's scheme)."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Sms-Signature"


def sign(secret: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``body`` with ``secret``."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str | None) -> bool:
    """Whether ``signature`` is the body's signature (constant-time comparison)."""
    if not signature or not signature.isascii():
        return False
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())
