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

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guarded import converse, domain_text, reply_language
from bot.channels.mailbox import PendingMessages
from bot.channels.ratelimit import RateLimiter
from bot.channels.sms_request import BadRequest, clean_text, json_object
from bot.config import load_settings
from bot.state.schema import state_engine
from bot.language import EN
from bot.telegram.protocol import BUTTON_PAYLOADS

MAX_SENDER = 128


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
    """Rasa's REST channel (same route and answer), hardened, with a mailbox for pushes."""

    def __init__(self, max_text: int = 1000, rate_limit: int = 20) -> None:
        self._mailbox: PendingMessages | None = None
        self.max_text = max_text
        self.limiter = RateLimiter(rate_limit)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebChatInput:
        settings = load_settings()
        return cls(settings.sms_max_text, settings.rate_limit_per_minute)

    def mailbox(self) -> PendingMessages:
        if self._mailbox is None:
            self._mailbox = PendingMessages(state_engine(load_settings().state_database_url))
        return self._mailbox

    def get_output_channel(self) -> OutputChannel | None:
        return PendingOutput(self.mailbox())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("webchat_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text = parse_web_message(request.body or b"", self.max_text)
            except BadRequest as exc:
                return response.json({"error": str(exc)}, status=exc.status)
            if not self.limiter.allow(sender):
                refusal = domain_text(request, "utter_rate_limited", reply_language(text, EN))
                return response.json([{"recipient_id": sender, "text": refusal}])
            message = UserMessage(
                text, CollectingOutputChannel(), sender_id=sender, input_channel=self.name()
            )
            return response.json(await converse(request, on_new_message, message))

        @webhook.route("/pending", methods=["GET"])
        async def pending(request: Request) -> HTTPResponse:
            sender = request.args.get("sender")
            if not sender or len(sender) > MAX_SENDER:
                return response.json({"error": "sender is required"}, status=400)
            return response.json(await self.mailbox().take(sender))

        return webhook


def parse_web_message(body: bytes, max_text: int) -> tuple[str, str]:
    """``{"sender": str, "message": str}``; metadata, if any, is ignored (never trusted).

    Typed text is cleaned like an SMS (no intent payloads), except the payloads
    of the bot's own buttons, which the page sends as the message.
    """
    data = json_object(body)
    sender, text = data.get("sender"), data.get("message")
    if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER:
        raise BadRequest(f"sender must be a string of 1 to {MAX_SENDER} characters")
    if not isinstance(text, str):
        raise BadRequest("message must be a string")
    if text.strip() not in BUTTON_PAYLOADS:
        text = clean_text(text)
    if not text:
        raise BadRequest("message is empty")
    if len(text) > max_text:
        raise BadRequest(f"message is longer than {max_text} characters", 413)
    return sender, text.strip()
