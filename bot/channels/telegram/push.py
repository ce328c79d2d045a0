"""Messages nobody asked for (agent replies, notices), sent to Telegram with the Bot API.

Rasa sends bot events posted to ``/conversations/{id}/tracker/events`` with
``?output_channel=telegram&execute_side_effects=true`` through this channel's
``get_output_channel()``; the channel is the one the case was opened on (never
``latest``). A recipient that is not a Telegram conversation is refused
(``bot.domain.ids``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import OutputChannel

from bot.channels.http_clients import TELEGRAM, HttpClients
from bot.channels.telegram.formatting import html_cost, split_message, to_html
from bot.channels.telegram.keyboards import buttons_markup
from bot.channels.telegram.protocol import Button
from bot.domain.ids import is_telegram, telegram_user_id

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class TelegramPush:
    """Where the Telegram channel sends messages nobody asked for (the Bot API), and the
    process's shared HTTP clients it sends with."""

    token: str
    api_base_url: str
    http: HttpClients = field(default_factory=HttpClients, compare=False, repr=False)

    def output(self) -> TelegramPushOutput:
        """The output channel Rasa sends pushed messages through."""
        return TelegramPushOutput(self.token, self.api_base_url, self.http)


class TelegramPushOutput(OutputChannel):
    """Sends with the Bot API's ``sendMessage`` (HTML, inline buttons) to ``tg-<id>`` chats."""

    def __init__(self, token: str, api_base_url: str, http: HttpClients | None = None) -> None:
        """``http``: the process's shared clients (None: this output's own)."""
        self._url = f"{api_base_url.rstrip('/')}{token}/sendMessage"
        self._http = http or HttpClients()

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(recipient_id, text, None)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        markup = buttons_markup(
            [Button(str(b.get("title", "")), str(b.get("payload", ""))) for b in buttons]
        )
        await self._send(recipient_id, text, markup.to_dict() if markup else None)

    async def _send(self, recipient_id: str, text: str, markup: dict[str, Any] | None) -> None:
        if not is_telegram(recipient_id):
            raise ValueError("a Telegram message goes only to a tg-<user id> conversation")
        chat_id = telegram_user_id(recipient_id)
        parts = split_message(text, cost=html_cost) or [""]
        client = self._http.client(TELEGRAM)
        for index, part in enumerate(parts):
            body: dict[str, Any] = {"chat_id": chat_id, "text": to_html(part), "parse_mode": "HTML"}
            if markup and index == len(parts) - 1:
                body["reply_markup"] = json.dumps(markup)
            response = await client.post(self._url, json=body, timeout=TIMEOUT_SECONDS)
            if response.status_code >= 300:
                logger.error("push to telegram chat failed: HTTP %s", response.status_code)
                response.raise_for_status()
