"""The Telegram bridge channel: signed, already-verified messages from ``bot/telegram_bridge``.

The bridge process (python-telegram-bot) talks to Telegram; this channel is
how it talks to Rasa. The bridge is trusted: it signs every request with
``TELEGRAM_BRIDGE_SECRET``, and sends a number only for a Telegram user who
shared their own contact, which the channel then vouches for with
``IDENTITY_SECRET`` like the SMS channel does. Protocol: ``bot/channels/telegram/protocol.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    OutputChannel,
    UserMessage,
)
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import services as bundle
from bot.channels.guarded import converse, domain_text, reply_language
from bot.channels.lifecycle import with_lifecycle
from bot.channels.outage import StoreUnavailable, retry_later
from bot.channels.ratelimit import RateLimiter
from bot.channels.signing import SignatureError, verify_timestamped
from bot.channels.sms.deliveries import DeliveryInProgress, DeliveryStore
from bot.channels.sms.request import BadRequest, clean_text, json_object
from bot.channels.telegram.protocol import (
    BUTTON_PAYLOADS,
    CHANNEL_NAME,
    MAX_TEXT,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BotReply,
    BridgeMessage,
    Button,
    is_button_payload,
)
from bot.channels.telegram.push import TelegramPush
from bot.domain.identity import identity_metadata
from bot.domain.ids import is_telegram
from bot.domain.numbers import is_msisdn, mask_msisdn

logger = logging.getLogger(__name__)
_IN_PROGRESS = object()  # another request is answering the same message


def parse_bridge_message(body: bytes) -> BridgeMessage:
    """Validate the bridge's JSON body; ``BadRequest`` says what is wrong."""
    data = json_object(body)
    sender, message_id, text = (data.get(key) for key in ("sender_id", "message_id", "text"))
    msisdn, payload = data.get("msisdn"), data.get("payload", False)
    if not all(isinstance(value, str) for value in (sender, message_id, text)):
        raise BadRequest("sender_id, message_id and text must be strings")
    assert isinstance(sender, str) and isinstance(message_id, str) and isinstance(text, str)
    if not is_telegram(sender):
        raise BadRequest("sender_id must be tg-<telegram user id>")
    if not message_id.strip() or len(message_id) > 128:
        raise BadRequest("message_id must be 1 to 128 characters")
    if msisdn is not None and not (isinstance(msisdn, str) and is_msisdn(msisdn)):
        raise BadRequest("msisdn must be null or a number in E.164 form, e.g. +8613800000001")
    if not isinstance(payload, bool):
        raise BadRequest("payload must be true or false")
    if payload and not is_button_payload(text):
        raise BadRequest(f"payload must be one of {', '.join(sorted(BUTTON_PAYLOADS))}")
    if not payload:
        text = clean_text(text)
    if not text:
        raise BadRequest("text is empty")
    if len(text) > MAX_TEXT:
        raise BadRequest(f"text is longer than {MAX_TEXT} characters", 413)
    return BridgeMessage(sender, message_id.strip(), text, msisdn, payload)


def collected_replies(messages: list[dict[str, Any]]) -> list[BotReply]:
    """The bot's messages with text or buttons, as the bridge receives them."""
    replies = []
    for message in messages:
        buttons = tuple(
            Button(str(b.get("title", "")), str(b.get("payload", "")))
            for b in message.get("buttons") or []
        )
        if message.get("text") or buttons:
            replies.append(BotReply(str(message.get("text") or ""), buttons))
    return replies


class TelegramBridgeInput(InputChannel):
    """``POST /webhooks/telegram/webhook``: HMAC-signed JSON from the Telegram bridge.

    Without ``TELEGRAM_BRIDGE_SECRET`` the channel is off: it answers every
    request with 503 and Rasa's other channels run as usual.
    """

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        services = bundle.channel_services()  # built once, at the Rasa server's start-up
        secret = (credentials or {}).get("secret") or services.settings.telegram_bridge_secret
        identity_secret = services.identity_secret
        if not identity_secret:
            raise ValueError("IDENTITY_SECRET is not set: the channel could not vouch for senders")
        if not secret:
            logger.warning("TELEGRAM_BRIDGE_SECRET is not set: the telegram channel is off")
        return cls(
            secret,
            identity_secret,
            services.settings.rate_limit_per_minute,
            push=services.telegram_push,
            deliveries=services.deliveries,
        )

    def __init__(
        self,
        secret: str | None,
        identity_secret: str,
        rate_limit: int = 20,
        push: TelegramPush | None = None,
        deliveries: Callable[[], DeliveryStore] | None = None,
    ) -> None:
        """``push``: where agent replies and notices go (None: the bot token is not set);
        ``deliveries``: the store that answers a message id once (the SMS channel's), so
        that a replayed or redelivered update is not acted on twice (None: no store)."""
        self.secret = secret
        self.identity_secret = identity_secret
        self.limiter = RateLimiter(rate_limit)
        self.push = push
        self.deliveries = deliveries

    def get_output_channel(self) -> OutputChannel | None:
        """Agent replies and notices go straight to the Bot API (needs the bot token)."""
        if self.push is None:
            return None
        return self.push.output()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = with_lifecycle(Blueprint("telegram_bridge_webhook", __name__))

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.secret else "off"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.secret:
                return response.json({"error": "TELEGRAM_BRIDGE_SECRET is not set"}, status=503)
            body = request.body or b""
            try:
                verify_timestamped(
                    self.secret,
                    body,
                    request.headers.get(SIGNATURE_HEADER),
                    request.headers.get(TIMESTAMP_HEADER),
                )
            except SignatureError as exc:
                return response.json({"error": str(exc)}, status=401)
            try:
                message = parse_bridge_message(body)
            except BadRequest as exc:
                return response.json({"error": str(exc)}, status=exc.status)
            if not self.limiter.allow(message.sender_id):
                text = domain_text(request, "utter_rate_limited", reply_language(message.text))
                return response.json({"messages": [BotReply(text, ()).to_json()]})
            stored = await self._claim(message)
            if stored is _IN_PROGRESS:
                return response.json({"error": "this message is being handled"}, status=409)
            if isinstance(stored, dict):  # the same message again: answered, not acted on
                return response.json(stored)
            collector = CollectingOutputChannel()
            user_message = self._user_message(message, collector)
            try:
                replies = collected_replies(await converse(request, on_new_message, user_message))
            except StoreUnavailable:  # the bridge sends it again (same message id)
                await self._release(message)
                return retry_later(response.json({"error": "temporarily unavailable"}, 503))
            except Exception:
                await self._release(message)
                raise
            answer = {"messages": [reply.to_json() for reply in replies]}
            await self._remember(message, answer)
            logger.info(
                "telegram %s from %s (%s): %d replies",
                message.message_id,
                message.sender_id,
                mask_msisdn(message.msisdn) if message.msisdn else "not linked",
                len(replies),
            )
            return response.json(answer)

        return webhook

    async def _claim(self, message: BridgeMessage) -> dict[str, Any] | object | None:
        """The stored answer of a message already answered, ``_IN_PROGRESS``, or None to
        go ahead (also when the store is down: the customer's message matters more)."""
        if self.deliveries is None:
            return None
        try:
            return await self.deliveries().claim(self.name(), message.sender_id, message.message_id)
        except DeliveryInProgress:
            return _IN_PROGRESS
        except Exception:
            logger.exception(
                "delivery store unavailable; telegram %s handled without it", message.message_id
            )
            return None

    async def _remember(self, message: BridgeMessage, answer: dict[str, Any]) -> None:
        if self.deliveries is None:
            return
        try:
            await self.deliveries().finish(
                self.name(), message.sender_id, message.message_id, answer
            )
        except Exception:
            logger.exception("could not store the answer to telegram %s", message.message_id)

    async def _release(self, message: BridgeMessage) -> None:
        if self.deliveries is None:
            return
        try:
            await self.deliveries().abandon(self.name(), message.sender_id, message.message_id)
        except Exception:
            logger.exception("could not release telegram %s", message.message_id)

    def _user_message(
        self, message: BridgeMessage, collector: CollectingOutputChannel
    ) -> UserMessage:
        metadata = (
            identity_metadata(self.identity_secret, self.name(), message.msisdn)
            if message.msisdn
            else {}
        )
        return UserMessage(
            message.text,
            collector,
            sender_id=message.sender_id,
            input_channel=self.name(),
            message_id=message.message_id,
            metadata=metadata,
        )
