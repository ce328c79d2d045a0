"""Sending SMS through the gateway's outbound API (signed like the inbound webhook).

Each ``POST`` carries ``X-Sms-Timestamp`` and ``X-Sms-Signature``: the hex
HMAC-SHA256 of ``b"<timestamp>." + body`` (``bot/channels/signing.py``).
"""

from __future__ import annotations

import abc
import json
from pathlib import Path

import httpx

from bot.channels.http_clients import SMS_GATEWAY, HttpClients
from bot.channels.signing import signed_headers


class SmsSendError(Exception):
    """The gateway did not accept the message."""


class SmsSender(abc.ABC):
    """Sends one text message to a phone number."""

    @abc.abstractmethod
    async def send(self, to: str, text: str, *, secret: str | None = None) -> None:
        """Send ``text`` to ``to``; raises ``SmsSendError``. ``secret`` is a one-time code
        in the text: a sender that keeps copies keeps none with the code in it."""


class GatewaySmsSender(SmsSender):
    """``POST {"to", "text"}`` to ``SMS_GATEWAY_OUTBOUND_URL``, timestamped and signed."""

    def __init__(
        self, url: str, secret: str, timeout: float = 5.0, http: HttpClients | None = None
    ) -> None:
        """``http``: the process's shared clients (None: this sender's own)."""
        self._url = url
        self._secret = secret
        self._timeout = timeout
        self._http = http or HttpClients()

    async def send(self, to: str, text: str, *, secret: str | None = None) -> None:
        body = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", **signed_headers(self._secret, body)}
        try:
            client = self._http.client(SMS_GATEWAY)
            response = await client.post(
                self._url, content=body, headers=headers, timeout=self._timeout
            )
        except httpx.HTTPError as exc:
            raise SmsSendError(f"gateway unreachable: {exc.__class__.__name__}") from exc
        if response.status_code >= 300:
            raise SmsSendError(f"gateway answered {response.status_code}")


class FileSmsSender(SmsSender):
    """Development stand-in for a gateway: appends each SMS as a JSON line to a file."""

    def __init__(self, path: Path) -> None:
        self._path = path

    async def send(self, to: str, text: str, *, secret: str | None = None) -> None:
        line = json.dumps({"to": to, "text": text}, ensure_ascii=False)
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def sms_sender(url: str | None, secret: str | None, http: HttpClients | None = None) -> SmsSender:
    """The sender for ``SMS_GATEWAY_OUTBOUND_URL``: HTTP(S) gateway, ``file://`` outbox, or none
    (``http``: the process's shared clients)."""
    if url and url.startswith("file://"):
        return FileSmsSender(Path(url.removeprefix("file://")))
    if url and secret:
        return GatewaySmsSender(url, secret, http=http)
    return UnconfiguredSmsSender()


class UnconfiguredSmsSender(SmsSender):
    """Used when no outbound URL is set: every send fails with a clear message."""

    async def send(self, to: str, text: str, *, secret: str | None = None) -> None:
        raise SmsSendError("SMS_GATEWAY_OUTBOUND_URL is not set")
