"""Rasa's REST channel for web chat, plus a mailbox for messages the bot did not reply with.

``POST /webhooks/rest/webhook`` works exactly as Rasa's REST channel. Agent
replies and notices for a web-chat conversation cannot ride on a reply, so
they wait in ``pending_messages`` until the page asks
``GET /webhooks/rest/pending?sender=<id>`` (the sender id is the
conversation's own secret, as it is for the REST channel itself).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.mailbox import PendingMessages
from bot.config import load_settings
from bot.db import create_schema, make_engine


class PendingOutput(OutputChannel):
    """Puts messages in the web-chat mailbox."""

    def __init__(self, mailbox: PendingMessages) -> None:
        self._mailbox = mailbox

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._mailbox.put(recipient_id, {"recipient_id": recipient_id, "text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        message = {"recipient_id": recipient_id, "text": text, "buttons": buttons}
        await self._mailbox.put(recipient_id, message)


class WebChatInput(RestInput):
    """Rasa's REST channel with a mailbox for pushed messages."""

    def __init__(self) -> None:
        self._mailbox: PendingMessages | None = None

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebChatInput:
        return cls()

    def mailbox(self) -> PendingMessages:
        if self._mailbox is None:
            engine = make_engine(load_settings().database_url)
            create_schema(engine)
            self._mailbox = PendingMessages(engine)
        return self._mailbox

    def get_output_channel(self) -> OutputChannel | None:
        return PendingOutput(self.mailbox())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.route("/pending", methods=["GET"])
        async def pending(request: Request) -> HTTPResponse:
            sender = request.args.get("sender")
            if not sender or len(sender) > 128:
                return response.json({"error": "sender is required"}, status=400)
            return response.json(await self.mailbox().take(sender))

        return webhook
