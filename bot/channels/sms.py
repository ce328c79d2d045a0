"""The SMS gateway channel: a signed webhook in, the bot's replies out as plain text."""

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

from bot.billing.port import mask_msisdn
from bot.channels.buttons import button_reply, last_buttons, render_buttons
from bot.channels.identity import identity_metadata
from bot.channels.push import SmsPushOutput
from bot.channels.signing import SIGNATURE_HEADER, verify
from bot.channels.sms_outbound import sms_sender
from bot.channels.sms_request import BadRequest, InboundSms, parse_inbound
from bot.channels.sms_segments import segment
from bot.config import load_settings

logger = logging.getLogger(__name__)


class SmsInput(InputChannel):
    """``POST /webhooks/sms/webhook``: HMAC-signed JSON from the operator's SMS gateway."""

    @classmethod
    def name(cls) -> str:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        settings = load_settings()
        credentials = credentials or {}
        secret = credentials.get("secret") or settings.sms_secret
        if not secret and not settings.sms_allow_unsigned:
            raise ValueError(
                "SMS_GATEWAY_SECRET is not set; set it, or set SMS_GATEWAY_ALLOW_UNSIGNED=1 "
                "for local development only"
            )
        if not settings.identity_secret:
            raise ValueError("IDENTITY_SECRET is not set: the channel could not vouch for senders")
        return cls(secret, settings.identity_secret, settings.sms_max_text)

    def __init__(self, secret: str | None, identity_secret: str, max_text: int = 1000) -> None:
        self.secret = secret
        self.identity_secret = identity_secret
        self.max_text = max_text

    def get_output_channel(self) -> OutputChannel | None:
        """Agent replies and notices go out through the gateway's outbound API."""
        settings = load_settings()
        return SmsPushOutput(sms_sender(settings.sms_outbound_url, settings.sms_secret))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("sms_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.body or b""
            if self.secret and not verify(self.secret, body, request.headers.get(SIGNATURE_HEADER)):
                return response.json({"error": "invalid or missing signature"}, status=401)
            try:
                sms = parse_inbound(body, self.max_text)
            except BadRequest as exc:
                return response.json({"error": str(exc)}, status=exc.status)
            text = await self._resolve_option(request, sms)
            collector = CollectingOutputChannel()
            await on_new_message(
                UserMessage(
                    text,
                    collector,
                    sender_id=sms.sender,
                    input_channel=self.name(),
                    message_id=sms.message_id,
                    metadata={
                        **identity_metadata(self.identity_secret, self.name(), sms.sender),
                        "to": sms.to,
                    },
                )
            )
            logger.info(
                "sms %s from %s: %d replies",
                sms.message_id,
                mask_msisdn(sms.sender),
                len(collector.messages),
            )
            texts = [
                render_buttons(m.get("text", ""), m.get("buttons"))
                for m in collector.messages
                if m.get("text") or m.get("buttons")
            ]
            replies = [
                {"to": sms.sender, "text": text, "segments": segment(text).count} for text in texts
            ]
            return response.json({"replies": replies})

        return webhook

    @staticmethod
    async def _resolve_option(request: Request, sms: InboundSms) -> str:
        """A bare digit answering numbered options becomes that option's payload."""
        if not sms.text.strip().rstrip(".").isdigit():
            return sms.text
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return sms.text
        tracker = await agent.tracker_store.retrieve(sms.sender)
        if tracker is None:
            return sms.text
        events = [event.as_dict() for event in tracker.events]
        return button_reply(sms.text, last_buttons(events)) or sms.text
