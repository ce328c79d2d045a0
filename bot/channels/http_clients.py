"""The process's outbound HTTP clients: one ``httpx.AsyncClient`` per destination kind.

A client keeps its connections open between sends (no new TCP and TLS handshake per
SMS or Telegram message). Each is made on first use, inside the running event loop
(so a server that forks workers makes its own there), and closed by ``aclose`` when
the server stops. Timeouts are per request: the senders pass their own.
"""

from __future__ import annotations

import httpx

SMS_GATEWAY = "sms-gateway"  # the signed JSON gateway (SMS_GATEWAY_OUTBOUND_URL)
KANNEL = "kannel"  # smsbox's sendsms
TWILIO = "twilio"  # a REST endpoint of Twilio's Messages shape
TELEGRAM = "telegram"  # the Bot API
DEFAULT_TIMEOUT = 10.0


class HttpClients:
    """Shared ``httpx.AsyncClient``s by destination kind, made on first use."""

    def __init__(self, transport: httpx.AsyncBaseTransport | None = None) -> None:
        """``transport``: what every client sends through (tests: ``httpx.MockTransport``)."""
        self._transport = transport
        self._clients: dict[str, httpx.AsyncClient] = {}

    def client(self, kind: str) -> httpx.AsyncClient:
        """The one client for ``kind`` (``SMS_GATEWAY``, ``KANNEL``, ``TWILIO``, ``TELEGRAM``)."""
        client = self._clients.get(kind)
        if client is None or client.is_closed:
            client = httpx.AsyncClient(timeout=DEFAULT_TIMEOUT, transport=self._transport)
            self._clients[kind] = client
        return client

    @property
    def open_kinds(self) -> frozenset[str]:
        """The kinds whose client is open now."""
        return frozenset(kind for kind, client in self._clients.items() if not client.is_closed)

    async def aclose(self) -> None:
        """Close every client (a later send opens a new one)."""
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()
