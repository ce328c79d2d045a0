"""The bridge's client of Rasa's ``telegram`` channel: signed requests, parsed replies."""

from __future__ import annotations

import httpx

from bot.channels.telegram.protocol import BotReply, BridgeMessage, parse_replies, signed_headers

WEBHOOK_PATH = "/webhooks/telegram/webhook"


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
    ) -> None:
        self._url = rasa_url.rstrip("/") + WEBHOOK_PATH
        self._secret = secret
        self._client = httpx.AsyncClient(timeout=timeout, transport=transport)

    async def send(self, message: BridgeMessage) -> list[BotReply]:
        """Forward one message; the bot's replies in order."""
        body = message.to_body()
        headers = {"Content-Type": "application/json", **signed_headers(self._secret, body)}
        try:
            response = await self._client.post(self._url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise BridgeError(f"Rasa is unreachable: {exc.__class__.__name__}") from exc
        if response.status_code != 200:
            raise BridgeError(f"Rasa answered {response.status_code}: {response.text[:200]}")
        try:
            return parse_replies(response.json())
        except ValueError as exc:
            raise BridgeError(f"malformed answer from Rasa: {exc}") from exc

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._client.aclose()
