"""The SMS gateway channel: a signed webhook in, the bot's replies out as plain text.

``POST /webhooks/sms/webhook`` carries ``X-Sms-Timestamp`` and ``X-Sms-Signature``
(scheme: ``bot/channels/signing.py``; body: ``bot/channels/sms/request.py``). The
route streams its body so that a request is refused before it is read where the
headers suffice: 413 for a ``Content-Length`` over ``MAX_BODY_BYTES``, 401 for a
missing signature or a missing, malformed or stale timestamp. The body is then read
up to the limit (413 past it) within a total deadline (408), and the signature
checked (401). Each refusal before the body is read closes the connection. While a
store is down (``bot.channels.outage``) a message gets 503 with ``Retry-After``: the
gateway sends it again, and the customer gets the real answer once the store is back.

Settings: ``SMS_GATEWAY_SECRET`` (or ``secret`` in credentials.yml; without either the
channel starts only with ``SMS_GATEWAY_ALLOW_UNSIGNED=1``, and checks no signature or
timestamp); credentials.yml may set ``timestamp_window_seconds`` (default 300) and
``body_timeout_seconds`` (default 10).

With ``SMS_GATEWAY=kannel`` or ``twilio`` the same channel also takes that gateway's
requests (``bot/channels/sms/gateway_routes.py``; docs/sms-gateways.md).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    OutputChannel,
    UserMessage,
)
from rasa.shared.core.events import UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import services as bundle
from bot.channels.guarded import converse, domain_text, reply_language
from bot.channels.lifecycle import with_lifecycle
from bot.channels.outage import StoreUnavailable, retry_later
from bot.channels.ratelimit import RateLimiter
from bot.channels.signing import (
    DEFAULT_WINDOW_SECONDS,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    check_timestamp,
    verify_timestamped,
)
from bot.channels.sms.deliveries import DeliveryInProgress, DeliveryStore
from bot.channels.sms.gateway_routes import GatewayRoutes
from bot.channels.sms.outbound import SmsSender
from bot.channels.sms.push import SmsPushOutput
from bot.channels.sms.request import (
    BODY_TIMEOUT_SECONDS,
    MAX_BODY_BYTES,
    BadRequest,
    InboundSms,
    content_length,
    parse_inbound,
    read_body,
)
from bot.channels.sms.shaping import button_reply, last_buttons, render_buttons, segment
from bot.domain.identity import identity_metadata
from bot.domain.numbers import mask_msisdn

logger = logging.getLogger(__name__)
IN_PROGRESS = "in_progress"
UNCLAIMED = "unclaimed"  # the delivery store was down: handled without a claim


class SmsInput(InputChannel):
    """``POST /webhooks/sms/webhook``: HMAC-signed JSON from the operator's SMS gateway."""

    @classmethod
    def name(cls) -> str:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        services = bundle.channel_services()  # built once, at the Rasa server's start-up
        settings = services.settings
        credentials = credentials or {}
        secret = credentials.get("secret") or settings.sms_secret
        if not secret and not settings.sms_allow_unsigned:
            raise ValueError(
                "SMS_GATEWAY_SECRET is not set; set it, or set SMS_GATEWAY_ALLOW_UNSIGNED=1 "
                "for local development only"
            )
        if not services.identity_secret:
            raise ValueError("IDENTITY_SECRET is not set: the channel could not vouch for senders")
        return cls(
            secret,
            services.identity_secret,
            deliveries=services.deliveries,
            sender=services.sms_sender,
            max_text=settings.sms_max_text,
            rate_limit=settings.rate_limit_per_minute,
            window=int(credentials.get("timestamp_window_seconds", DEFAULT_WINDOW_SECONDS)),
            body_timeout=float(credentials.get("body_timeout_seconds", BODY_TIMEOUT_SECONDS)),
            gateway=services.sms_gateway,
        )

    def __init__(
        self,
        secret: str | None,
        identity_secret: str,
        *,
        deliveries: Callable[[], DeliveryStore],
        sender: SmsSender,
        max_text: int = 1000,
        rate_limit: int = 20,
        window: int = DEFAULT_WINDOW_SECONDS,
        body_timeout: float = BODY_TIMEOUT_SECONDS,
        gateway: GatewayRoutes | None = None,
    ) -> None:
        """``deliveries`` opens the idempotency store (called on first use, and then
        on every use: it returns the same store); ``sender`` sends pushed messages;
        ``gateway`` adds a real gateway's routes (Kannel, Twilio-style)."""
        if window <= 0 or body_timeout <= 0:
            raise ValueError("timestamp_window_seconds and body_timeout_seconds must be positive")
        self.secret = secret
        self.identity_secret = identity_secret
        self.max_text = max_text
        self.window = window
        self.body_timeout = body_timeout
        self.limiter = RateLimiter(rate_limit)
        self.deliveries = deliveries
        self._sender = sender
        self.gateway = gateway

    def get_output_channel(self) -> OutputChannel | None:
        """Agent replies and notices go out through the gateway's outbound API."""
        return SmsPushOutput(self._sender)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = with_lifecycle(Blueprint("sms_webhook", __name__))

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            try:
                sms = parse_inbound(await self._signed_body(request), self.max_text)
            except SignatureError as exc:
                return _refuse(request, 401, str(exc))
            except BadRequest as exc:
                return _refuse(request, exc.status, str(exc))
            try:
                answer = await self.handle(request, sms, on_new_message)
            except StoreUnavailable:  # the gateway sends it again (same message id)
                return retry_later(response.json({"error": "temporarily unavailable"}, 503))
            if answer is None:
                return response.json({"error": "this message is still being handled"}, 409)
            return response.json(answer)

        if self.gateway is not None:  # Kannel or Twilio-style routes (SMS_GATEWAY)
            self.gateway.add_routes(webhook, self, on_new_message)
        return webhook

    async def handle(
        self,
        request: Request,
        sms: InboundSms,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> dict[str, Any] | None:
        """``{"replies": [...]}`` for one message, acted on once however often it comes
        (a retry gets the stored answer); None while another request handles it."""
        if not self.limiter.allow(sms.sender):
            text = domain_text(request, "utter_rate_limited", reply_language(sms.text))
            return {"replies": [_reply(sms.sender, text)]}
        deliveries = await self._claim(sms)
        if isinstance(deliveries, dict):  # a retry of a delivery we already answered
            return deliveries
        if deliveries == IN_PROGRESS:
            return None
        try:
            answer = await self._answer(request, sms, on_new_message)
        except Exception:
            if deliveries != UNCLAIMED:
                await self._forget(sms)
            raise
        await self._remember(sms, answer)
        return answer

    async def _signed_body(self, request: Request) -> bytes:
        """The body, refused as early as possible: what the headers tell before reading it.

        Raises ``BadRequest`` (413, 408) or ``SignatureError`` (401).
        """
        content_length(request.headers.get("content-length"), MAX_BODY_BYTES)
        signature = request.headers.get(SIGNATURE_HEADER)
        timestamp = request.headers.get(TIMESTAMP_HEADER)
        if self.secret:
            if not signature:
                raise SignatureError("invalid or missing signature")
            check_timestamp(timestamp, window=self.window)
        if request.stream is None:  # only a non-streaming route has no stream
            raise BadRequest("no request body")
        body = await read_body(request.stream, MAX_BODY_BYTES, self.body_timeout)
        if self.secret:
            verify_timestamped(self.secret, body, signature, timestamp, window=self.window)
        return body

    async def _answer(
        self,
        request: Request,
        sms: InboundSms,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> dict[str, Any]:
        text = await self._resolve_option(request, sms)
        metadata = {
            **identity_metadata(self.identity_secret, self.name(), sms.sender),
            "to": sms.to,
        }
        message = UserMessage(
            text,
            CollectingOutputChannel(),
            sender_id=sms.sender,
            input_channel=self.name(),
            message_id=sms.message_id,
            metadata=metadata,
        )
        messages = await converse(request, on_new_message, message)
        logger.info(
            "sms %s from %s: %d replies", sms.message_id, mask_msisdn(sms.sender), len(messages)
        )
        texts = [
            render_buttons(m.get("text", ""), m.get("buttons"))
            for m in messages
            if m.get("text") or m.get("buttons")
        ]
        return {"replies": [_reply(sms.sender, text) for text in texts]}

    async def _claim(self, sms: InboundSms) -> dict[str, Any] | str | None:
        """The stored answer of a retried delivery, ``IN_PROGRESS``, or None to go ahead.

        If the store is down the message is still answered (without deduplication,
        ``UNCLAIMED``): a customer's question matters more than a gateway's retry.
        """
        try:
            return await self.deliveries().claim(self.name(), sms.sender, sms.message_id)
        except DeliveryInProgress:
            return IN_PROGRESS
        except Exception:
            logger.exception("delivery store unavailable; %s handled without it", sms.message_id)
            return UNCLAIMED

    async def _remember(self, sms: InboundSms, answer: dict[str, Any]) -> None:
        try:
            await self.deliveries().finish(self.name(), sms.sender, sms.message_id, answer)
        except Exception:
            logger.exception("could not store the answer to %s", sms.message_id)

    async def _forget(self, sms: InboundSms) -> None:
        try:
            await self.deliveries().abandon(self.name(), sms.sender, sms.message_id)
        except Exception:
            logger.exception("could not release %s", sms.message_id)

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
        since_customer = itertools.takewhile(
            lambda event: not isinstance(event, UserUttered), reversed(tracker.events)
        )  # all that ``last_buttons`` looks at: not the whole conversation as JSON
        events = [event.as_dict() for event in since_customer][::-1]
        return button_reply(sms.text, last_buttons(events)) or sms.text


def _refuse(request: Request, status: int, error: str) -> HTTPResponse:
    """An error answer; if the body is not all read, the connection closes after it.

    Sanic would otherwise read (and drop) the rest of the body, up to its own 100 MB
    limit, and put ``100 Continue`` before the answer to an ``Expect: 100-continue``.
    """
    stream = request.stream
    if stream is not None and stream.request_body:
        stream.keep_alive = False
        stream.request_body = None
        stream.expecting_continue = False
    return response.json({"error": error}, status=status)


def _reply(sender: str, text: str) -> dict[str, Any]:
    return {"to": sender, "text": text, "segments": segment(text).count}
