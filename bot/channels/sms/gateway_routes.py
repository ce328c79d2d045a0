"""The SMS channel's routes for a real gateway (``SMS_GATEWAY=kannel`` or ``twilio``).

Same channel ("sms"), same conversation ids (the number), same once-only handling of
a retried message as the JSON webhook (``SmsInput.handle``); only the protocol differs:

- Kannel: ``POST /webhooks/sms/kannel/<secret>`` (or ``/webhooks/sms/kannel`` with HTTP
  basic auth, the secret as password), from an allowed address only (Kannel signs
  nothing); delivery reports on ``GET /webhooks/sms/kannel/<secret>/dlr``.
- Twilio-style: ``POST /webhooks/sms/twilio``, status callbacks on
  ``/webhooks/sms/twilio/status``, both checked by their ``X-Twilio-Signature``.

While a store is down (``bot.channels.outage``), Kannel gets a 503 and sends the
message again; a Twilio-style gateway does not, so the message is kept
(``bot.channels.later``) and answered through the outbound API once the store is back.

A failed message is sent again when its report comes in, and every
``SWEEP_SECONDS`` for those the gateway refused outright.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.later import KeptMessages
from bot.channels.outage import StoreUnavailable, retry_later
from bot.channels.signing import SignatureError
from bot.channels.sms import kannel, twilio
from bot.channels.sms.gateways import RecordingSmsSender
from bot.channels.sms.outbox import FINAL_FAILURES
from bot.channels.sms.request import MAX_BODY_BYTES, BadRequest, InboundSms, read_body
from bot.metrics import SMS_DELIVERIES

if TYPE_CHECKING:
    from rasa.core.channels.channel import UserMessage

logger = logging.getLogger(__name__)
SWEEP_SECONDS = 15.0
Handler = Callable[["UserMessage"], Awaitable[Any]]


class SmsInput(Protocol):
    """What the gateway routes use of the SMS channel (``bot.channels.sms.input.SmsInput``):
    its text limit and its once-only handling of one inbound message."""

    max_text: int

    async def handle(
        self, request: Request, sms: InboundSms, on_new_message: Handler
    ) -> dict[str, Any] | None:
        """``{"replies": [...]}`` for one message; None while another request handles it."""


@dataclass
class GatewayRoutes:
    """What the routes need: the mode, its secrets, and the recording sender."""

    mode: str  # kannel | twilio
    sender: RecordingSmsSender
    public_url: str = ""
    kannel_secret: str = ""
    kannel_allow_ips: tuple[str, ...] = ("127.0.0.1", "::1")
    twilio_auth_token: str = ""
    service_number: str = ""  # Twilio-style: a message to another number is refused
    later: KeptMessages = field(default_factory=KeptMessages)  # Twilio-style, store down

    def add_routes(self, bp: Blueprint, channel: SmsInput, on_new_message: Handler) -> None:
        """Add this mode's routes (and the retry sweep) to the SMS channel's blueprint."""
        if self.mode == kannel.KANNEL:
            self._kannel_routes(bp, channel, on_new_message)
        elif self.mode == twilio.TWILIO:
            self._twilio_routes(bp, channel, on_new_message)
        sweeper: dict[str, asyncio.Task[None]] = {}

        async def start(_app: Any, _loop: Any) -> None:
            sweeper["task"] = asyncio.ensure_future(self._sweep())

        async def stop(_app: Any, _loop: Any) -> None:
            if "task" in sweeper:
                sweeper.pop("task").cancel()
            await self.later.close()

        bp.listener("after_server_start")(start)
        bp.listener("before_server_stop")(stop)

    # --- Kannel ---------------------------------------------------------------------

    def _kannel_routes(self, bp: Blueprint, channel: SmsInput, on_new_message: Handler) -> None:
        async def inbound(request: Request, token: str | None = None) -> HTTPResponse:
            if not self._kannel_caller(request, token):
                return response.text("forbidden", status=403)
            try:
                body = await _body(request)
                headers = {k.lower(): v for k, v in request.headers.items()}
                sms = kannel.parse_kannel(body, headers, request.args.get("id"), channel.max_text)
            except BadRequest as exc:
                logger.warning("Kannel message refused (%d): %s", exc.status, exc)
                return response.text(str(exc), status=exc.status)
            try:
                answer = await channel.handle(request, sms, on_new_message)
            except StoreUnavailable:  # smsbox tries again (http-request-retry)
                return retry_later(response.text("temporarily unavailable", status=503))
            if answer is None:  # the same message is being handled: Kannel tries again
                return response.text("still being handled", status=503)
            return await self._kannel_reply(sms, [r["text"] for r in answer["replies"]])

        async def report(request: Request, token: str) -> HTTPResponse:
            if not self._kannel_caller(request, token):
                return response.text("forbidden", status=403)
            args = request.args
            try:
                status = kannel.dlr_status(args.get("type", ""), args.get("answer"))
            except BadRequest as exc:
                return response.text(str(exc), status=400)
            await self._report(args.get("id", ""), status, args.get("answer"))
            return response.text("ok")

        bp.add_route(inbound, "/kannel/<token:str>", methods=["POST"], stream=True)
        bp.add_route(inbound, "/kannel", methods=["POST"], stream=True, name="kannel_basic")
        bp.add_route(report, "/kannel/<token:str>/dlr", methods=["GET", "POST"])

    def _kannel_caller(self, request: Request, token: str | None) -> bool:
        """The allowed address, and the secret in the path or as the basic-auth password."""
        if not self.kannel_secret or request.ip not in self.kannel_allow_ips:
            return False
        if token is None:
            token = _basic_password(request.headers.get("authorization"))
        return token is not None and hmac.compare_digest(
            token.encode("utf-8"), self.kannel_secret.encode("utf-8")
        )

    async def _kannel_reply(self, sms: InboundSms, texts: list[str]) -> HTTPResponse:
        """The first message of the reply in the answer; smsbox sends it on. What does not
        fit in one concatenated SMS (``max-messages``) follows through sendsms."""
        messages = self.sender.transport.split("\n".join(t for t in texts if t))
        if not messages or not messages[0]:
            return response.text("", headers={"Content-Type": "text/plain; charset=UTF-8"})
        first, rest = messages[0], messages[1:]
        report_url = None
        if self.public_url:
            message_id = await self.sender.record_reply(sms.sender, first)
            report_url = kannel.dlr_url(self.public_url, self.kannel_secret, message_id)
        for more in rest:
            await self.sender.send(sms.sender, more)
        return response.raw(first.encode("utf-8"), headers=kannel.reply_headers(first, report_url))

    # --- Twilio-style ---------------------------------------------------------------

    def _twilio_routes(self, bp: Blueprint, channel: SmsInput, on_new_message: Handler) -> None:
        async def inbound(request: Request) -> HTTPResponse:
            try:
                fields = await self._twilio_fields(request)
                sms = twilio.parse_twilio(fields, channel.max_text)
            except SignatureError as exc:
                return response.text(str(exc), status=403)
            except BadRequest as exc:
                logger.warning("Twilio-style message refused (%d): %s", exc.status, exc)
                return response.text(str(exc), status=exc.status)
            if self.service_number and not twilio.is_service_number(sms.to, self.service_number):
                logger.warning("Twilio-style message to another number refused")
                return response.text("To is not this service's number", status=403)
            try:
                answer = await channel.handle(request, sms, on_new_message)
            except StoreUnavailable:  # no retry from Twilio: answered later, by the API
                self.later.keep(
                    sms.message_id,
                    lambda: self._answer_later(request, channel, sms, on_new_message),
                )
                return response.text(twilio.twiml([]), content_type=twilio.TWIML_TYPE)
            if answer is None:
                return response.text("still being handled", status=409)
            texts = [r["text"] for r in answer["replies"] if r["text"]]
            return response.text(await self._twiml(sms, texts), content_type=twilio.TWIML_TYPE)

        async def status(request: Request) -> HTTPResponse:
            try:
                fields = await self._twilio_fields(request)
            except SignatureError as exc:
                return response.text(str(exc), status=403)
            except BadRequest as exc:
                return response.text(str(exc), status=exc.status)
            ours = twilio.status_of(fields.get("MessageStatus", ""))
            if ours is not None:
                detail = fields.get("ErrorCode") or fields.get("MessageStatus")
                await self._report(
                    request.args.get("id", ""),
                    ours,
                    detail,
                    foreign_id=fields.get("MessageSid", ""),
                )
            return response.text("", status=204)

        bp.add_route(inbound, "/twilio", methods=["POST"], stream=True)
        bp.add_route(status, "/twilio/status", methods=["POST"], stream=True)

    async def _answer_later(
        self, request: Request, channel: SmsInput, sms: InboundSms, on_new_message: Handler
    ) -> bool:
        """Handle a kept message now; True once answered (through the outbound API)."""
        try:
            answer = await channel.handle(request, sms, on_new_message)
        except StoreUnavailable:
            return False
        if answer is None:  # being handled elsewhere: that one answers
            return True
        for reply in answer["replies"]:
            if reply["text"]:
                await self.sender.send(sms.sender, reply["text"])
        return True

    async def _twiml(self, sms: InboundSms, texts: list[str]) -> str:
        """The TwiML answer; each ``<Message>`` recorded, its status callback the ``action``
        (as Kannel's answer carries a dlr-url), when the gateway's view of us is known."""
        if not self.public_url:
            return twilio.twiml(texts)
        callbacks = [
            twilio.status_callback(self.public_url, await self.sender.record_reply(sms.sender, t))
            for t in texts
        ]
        return twilio.twiml(texts, callbacks)

    async def _twilio_fields(self, request: Request) -> dict[str, str]:
        if not self.twilio_auth_token:
            raise SignatureError("SMS_TWILIO_AUTH_TOKEN is not set")
        fields = twilio.form_fields(await _body(request))
        url = f"{self.public_url}{request.path}" if self.public_url else request.url
        if self.public_url and request.query_string:
            url += f"?{request.query_string}"
        twilio.verify(
            self.twilio_auth_token, url, fields, request.headers.get(twilio.SIGNATURE_HEADER)
        )
        return fields

    # --- reports and retries --------------------------------------------------------

    async def _report(
        self, message_id: str, status: str, detail: str | None, foreign_id: str = ""
    ) -> None:
        if message_id and not (len(message_id) == 32 and message_id.isalnum()):
            return
        SMS_DELIVERIES.labels(status=status).inc()
        message = await self.sender.outbox.report(
            message_id or None, status, detail, foreign_id=foreign_id
        )
        if message is None:
            logger.warning("delivery report on an unknown message")
        elif message.status in FINAL_FAILURES and message.retry_at is not None:
            await self.sender.resend(message)

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                await self.sender.retry_due()
            except Exception:
                logger.exception("sending failed SMS again failed")


async def _body(request: Request) -> bytes:
    if request.stream is None:
        raise BadRequest("no request body")
    return await read_body(request.stream, MAX_BODY_BYTES)


def _basic_password(header: str | None) -> str | None:
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.partition(":")[2]
