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


# --- the client's network address, as a channel saw it --------------------------------
CLIENT_KEY = "client_address"
CLIENT_SIGNATURE_KEY = "client_sig"
MAX_CLIENT_ADDRESS = 64


def _client_signature(secret: str, channel: str, address: str) -> str:
    message = f"client\n{channel}\n{address}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def client_metadata(secret: str, channel: str, address: str) -> dict[str, str]:
    """Metadata that vouches for the network address a message came from on ``channel``.

    Limits per address (handoff cases, one-time codes) read it back with
    ``verified_client``; a client that writes its own metadata cannot forge it.
    """
    address = address[:MAX_CLIENT_ADDRESS]
    return {
        CLIENT_KEY: address,
        CLIENT_SIGNATURE_KEY: _client_signature(secret, channel, address),
    }


def verified_client(secret: str | None, channel: str | None, metadata: Any) -> str | None:
    """The client address in ``metadata`` if its signature for ``channel`` holds, else None."""
    if not secret or not channel or not isinstance(metadata, dict):
        return None
    address, signature = metadata.get(CLIENT_KEY), metadata.get(CLIENT_SIGNATURE_KEY)
    if not isinstance(address, str) or not isinstance(signature, str) or not address:
        return None
    if len(address) > MAX_CLIENT_ADDRESS or not signature.isascii():
        return None
    if not hmac.compare_digest(_client_signature(secret, channel, address), signature):
        return None
    return address
