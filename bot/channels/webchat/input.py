"""Rasa's REST channel for web chat, with server-issued conversations and a mailbox.

``POST /webhooks/rest/session`` issues a conversation id (``{"session_id":
"web-<random>.<mac>"}``, see ``bot.domain.ids``); ``POST /webhooks/rest/webhook``
works as Rasa's REST channel but accepts only a sender the server issued, so a
web-chat client can never write into an SMS or Telegram conversation (their ids have
other forms) nor pick another page's. Agent replies and notices for a web-chat
conversation cannot ride on a reply, so they wait in ``pending_messages`` until the
page asks ``POST /webhooks/rest/pending`` with ``{"sender": <id>}`` (the same issued
id, which is the conversation's secret: in the body, never in a URL that logs keep).
``POST /webhooks/rest/logout`` with ``{"sender": <id>}`` ends the conversation's
verified number (the customer logs out) and drops its waiting messages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import services as bundle
from bot.channels.guarded import converse, domain_text, reply_language
from bot.channels.lifecycle import with_lifecycle
from bot.channels.outage import StoreUnavailable, retry_later
from bot.channels.ratelimit import RateLimiter
from bot.channels.sms.request import BadRequest, clean_text, json_object
from bot.channels.telegram.protocol import is_button_payload
from bot.domain.identity import client_metadata
from bot.domain.ids import WEB, is_web_session, issue_web_session
from bot.domain.language import EN

MAX_SENDER = 128


class Mailbox(Protocol):
    """Messages waiting for a web-chat page (``bot.channels.webchat.mailbox``)."""

    async def put(self, conversation_id: str, message: dict[str, Any]) -> None:
        """Leave a message for the conversation."""

    async def take(self, conversation_id: str) -> list[dict[str, Any]]:
        """The waiting messages, oldest first; they are gone afterwards."""


class Logout(Protocol):
    """Revokes a web-chat conversation's verified numbers (``bot.channels.webchat.logout``)."""

    async def __call__(self, conversation_id: str) -> int:
        """Revoke; how many there were."""


class PendingOutput(OutputChannel):
    """Puts messages in the web-chat mailbox."""

    def __init__(self, mailbox: Mailbox) -> None:
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

    def __init__(
        self,
        session_secret: str,
        mailbox: Callable[[], Mailbox],
        max_text: int = 1000,
        rate_limit: int = 20,
        logout: Callable[[], Logout] | None = None,
    ) -> None:
        """``mailbox`` opens the mailbox (called on every use: it returns the same one);
        ``logout`` opens what revokes a conversation's verified number."""
        self.mailbox = mailbox
        self.logout = logout
        self.session_secret = session_secret
        self.max_text = max_text
        self.limiter = RateLimiter(rate_limit)
        self.sessions = RateLimiter(rate_limit)  # new conversations per client address

    @classmethod
    def name(cls) -> str:
        return WEB

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebChatInput:
        services = bundle.channel_services()  # built once, at the Rasa server's start-up
        if not services.identity_secret:
            raise ValueError("IDENTITY_SECRET is not set: web-chat sessions could not be issued")
        settings = services.settings
        return cls(
            services.identity_secret,
            services.mailbox,
            settings.sms_max_text,
            settings.rate_limit_per_minute,
            services.web_logout,
        )

    def get_output_channel(self) -> OutputChannel | None:
        return PendingOutput(self.mailbox())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = with_lifecycle(Blueprint("webchat_webhook", __name__))

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/session", methods=["POST"])
        async def session(request: Request) -> HTTPResponse:
            if not self.sessions.allow(request.remote_addr or request.ip or "?"):
                return response.json({"error": "too many new conversations"}, status=429)
            return response.json({"session_id": issue_web_session(self.session_secret)})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text = parse_web_message(request.body or b"", self.max_text)
            except BadRequest as exc:
                return response.json({"error": str(exc)}, status=exc.status)
            if not is_web_session(self.session_secret, sender):
                return _unknown_session()
            if not self.limiter.allow(sender):
                refusal = domain_text(request, "utter_rate_limited", reply_language(text, EN))
                return response.json([{"recipient_id": sender, "text": refusal}])
            # The client's address, signed: limits per address (handoff cases, codes) read it.
            address = request.remote_addr or request.ip or "?"
            message = UserMessage(
                text,
                CollectingOutputChannel(),
                sender_id=sender,
                input_channel=self.name(),
                metadata=client_metadata(self.session_secret, self.name(), address),
            )
            try:
                return response.json(await converse(request, on_new_message, message))
            except StoreUnavailable:  # nothing of it was kept: the page sends it again
                return retry_later(response.json({"error": "temporarily unavailable"}, 503))

        @webhook.route("/pending", methods=["POST"])
        async def pending(request: Request) -> HTTPResponse:
            sender = _sender_of(request.body or b"")
            if sender is None:
                return response.json({"error": "sender is required"}, status=400)
            if not is_web_session(self.session_secret, sender):
                return _unknown_session()
            return response.json(await self.mailbox().take(sender))

        @webhook.route("/logout", methods=["POST"])
        async def logout(request: Request) -> HTTPResponse:
            sender = _sender_of(request.body or b"")
            if sender is None:
                return response.json({"error": "sender is required"}, status=400)
            if not is_web_session(self.session_secret, sender):
                return _unknown_session()
            if self.logout is not None:
                await self.logout()(sender)
            await self.mailbox().take(sender)  # agent replies left waiting go too
            return response.json({"logged_out": True})

        return webhook


def _sender_of(body: bytes) -> str | None:
    """The ``sender`` of a JSON body, when it is a string of sensible length."""
    try:
        sender = json_object(body).get("sender")
    except BadRequest:
        return None
    return sender if isinstance(sender, str) and 0 < len(sender) <= MAX_SENDER else None


def _unknown_session() -> HTTPResponse:
    return response.json(
        {"error": "unknown sender: start a conversation with POST /webhooks/rest/session"},
        status=403,
    )


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
    if not is_button_payload(text.strip()):
        text = clean_text(text)
    if not text:
        raise BadRequest("message is empty")
    if len(text) > max_text:
        raise BadRequest(f"message is longer than {max_text} characters", 413)
    return sender, text.strip()
