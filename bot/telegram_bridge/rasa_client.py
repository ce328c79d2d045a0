"""The bridge's client of Rasa's ``telegram`` channel: signed requests, parsed replies.

Rasa answers 503 (``Retry-After``) while a store it needs is down, and 409 while the
same message is still being handled: the bridge keeps the message and sends it again
(same message id, so it is acted on once) until Rasa answers or ``keep_seconds`` pass;
the customer then gets the real answer, only later.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from bot.channels.telegram.protocol import BotReply, BridgeMessage, parse_replies, signed_headers

WEBHOOK_PATH = "/webhooks/telegram/webhook"
TRY_AGAIN = frozenset({409, 503})


class BridgeError(Exception):
    """Rasa did not answer the forwarded message (down, refused, or a malformed answer)."""


class RasaBridgeClient:
    """Posts customer messages to the channel, signed with ``TELEGRAM_BRIDGE_SECRET``."""

    def __init__(
        self,
        rasa_url: str,
        secret: str,
        timeout: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
        keep_seconds: float = 120.0,
    ) -> None:
        self._keep = keep_seconds
        self._url = rasa_url.rstrip("/") + WEBHOOK_PATH
        self._secret = secret
        self._client = httpx.AsyncClient(timeout=timeout, transport=transport)

    async def send(self, message: BridgeMessage) -> list[BotReply]:
        """Forward one message; the bot's replies in order."""
        deadline = time.monotonic() + self._keep
        body = message.to_body()
        while True:
            headers = {"Content-Type": "application/json", **signed_headers(self._secret, body)}
            try:
                response = await self._client.post(self._url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                raise BridgeError(f"Rasa is unreachable: {exc.__class__.__name__}") from exc
            pause = _retry_after(response)
            if response.status_code not in TRY_AGAIN or time.monotonic() + pause > deadline:
                break
            await asyncio.sleep(pause)
        if response.status_code != 200:
            raise BridgeError(f"Rasa answered {response.status_code}: {response.text[:200]}")
        try:
            return parse_replies(response.json())
        except ValueError as exc:
            raise BridgeError(f"malformed answer from Rasa: {exc}") from exc

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._client.aclose()


def _retry_after(response: httpx.Response) -> float:
    """The seconds Rasa asked to wait (``Retry-After``), 1 by default, at most 10."""
    try:
        return min(max(float(response.headers.get("retry-after", "1")), 0.1), 10.0)
    except ValueError:
        return 1.0
