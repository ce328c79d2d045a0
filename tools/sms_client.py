"""A client of the SMS webhook that plays the gateway: signs and posts customer texts.

With a secret, each request carries ``X-Sms-Timestamp`` (now, Unix seconds) and
``X-Sms-Signature`` over the timestamp and the body (``bot/channels/signing.py``).
With ``retry_for``, a 503 or 409 (a store down, the same message still handled) is
sent again after its ``Retry-After``, with the same message id, as a gateway does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from bot.channels.signing import signed_headers

SERVICE_NUMBER = "10086"


@dataclass(frozen=True)
class SmsReply:
    """The webhook's answer to one customer text."""

    status: int
    texts: list[str]
    body: dict[str, Any]
    attempts: int = 1  # how many times it was sent (retries after 503/409)


class SmsGatewayClient:
    """Posts texts to ``/webhooks/sms/webhook`` as the operator's gateway would."""

    def __init__(
        self, base_url: str, secret: str | None, timeout: float = 30.0, retry_for: float = 0.0
    ) -> None:
        self._retry_for = retry_for
        self._url = base_url.rstrip("/") + "/webhooks/sms/webhook"
        self._secret = secret
        self._client = httpx.AsyncClient(timeout=timeout)
        self._ids = itertools.count(1)

    async def send(self, sender: str, text: str, message_id: str | None = None) -> SmsReply:
        """Send ``text`` from ``sender``; returns the status and the reply texts."""
        message_id = message_id or f"{uuid.uuid4().hex[:12]}-{next(self._ids)}"
        payload = {"message_id": message_id, "from": sender, "to": SERVICE_NUMBER, "text": text}
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        deadline, attempts = time.monotonic() + self._retry_for, 0
        while True:
            attempts += 1
            headers = {"Content-Type": "application/json"}
            if self._secret:
                headers.update(signed_headers(self._secret, body))
            result = await self._client.post(self._url, content=body, headers=headers)
            pause = float(result.headers.get("retry-after", "1") or 1)
            if result.status_code not in (409, 503) or time.monotonic() + pause > deadline:
                break
            await asyncio.sleep(pause)
        data = (
            result.json()
            if result.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        texts = [reply["text"] for reply in data.get("replies", [])]
        return SmsReply(result.status_code, texts, data, attempts)

    async def aclose(self) -> None:
        await self._client.aclose()
