"""Sending through a real gateway, every message recorded and failed ones sent again.

``RecordingSmsSender`` is the ``SmsSender`` of the Kannel and Twilio-style modes: it
records each message in the outbox (``bot.channels.sms.outbox``) before handing it to
a ``GatewayTransport`` with its id (for the delivery report), and ``retry_due`` sends
the failed ones again. ``KannelTransport`` calls smsbox's sendsms; ``TwilioTransport``
POSTs to a REST endpoint of Twilio's Messages shape.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Callable

import httpx

from bot.channels.http_clients import KANNEL as KANNEL_CLIENT
from bot.channels.http_clients import TWILIO as TWILIO_CLIENT
from bot.channels.http_clients import HttpClients
from bot.channels.sms.kannel import KANNEL, dlr_url, sendsms_params, split_for_kannel
from bot.channels.sms.outbound import SmsSender, SmsSendError
from bot.channels.sms.outbox import ONE_TIME_CODE, OutboundSms, SmsOutbox
from bot.channels.sms.shaping import segment
from bot.channels.sms.twilio import TWILIO, status_callback
from bot.domain.numbers import mask_msisdn

logger = logging.getLogger(__name__)
PUSH = "push"
REPLY = "reply"
CODE = ONE_TIME_CODE  # a one-time code: kept masked, never sent again


class GatewayTransport(abc.ABC):
    """One gateway's API for sending."""

    name: str

    def split(self, text: str) -> list[str]:
        """``text`` as the messages this gateway sends it in (one, unless very long)."""
        return [text]

    @abc.abstractmethod
    async def deliver(self, to: str, text: str, message_id: str) -> str | None:
        """Hand one message over; the gateway's id for it, if it gives one.

        Raises ``SmsSendError`` when the gateway does not take it.
        """


class KannelTransport(GatewayTransport):
    """smsbox's ``/cgi-bin/sendsms`` (GET), UTF-8 with the right coding, dlr-url to us."""

    name = KANNEL

    def __init__(
        self,
        url: str,
        user: str,
        password: str,
        *,
        sender_id: str,
        public_url: str,
        secret: str,
        max_parts: int = 10,
        timeout: float = 5.0,
        http: HttpClients | None = None,
    ) -> None:
        """``http``: the process's shared clients (None: this transport's own)."""
        self._url, self._user, self._password = url, user, password
        self._sender_id, self._public_url, self._secret = sender_id, public_url, secret
        self._max_parts, self._timeout = max_parts, timeout
        self._http = http or HttpClients()

    def split(self, text: str) -> list[str]:
        return split_for_kannel(text, self._max_parts)

    async def deliver(self, to: str, text: str, message_id: str) -> str | None:
        report = dlr_url(self._public_url, self._secret, message_id) if self._public_url else None
        params = sendsms_params(
            user=self._user,
            password=self._password,
            sender=self._sender_id,
            to=to,
            text=text,
            dlr=report,
        )
        try:
            client = self._http.client(KANNEL_CLIENT)
            response = await client.get(self._url, params=params, timeout=self._timeout)
        except httpx.HTTPError as exc:
            raise SmsSendError(f"smsbox unreachable: {exc.__class__.__name__}") from exc
        if response.status_code >= 300:  # e.g. 403 "Authorization failed for sendsms"
            raise SmsSendError(f"smsbox answered {response.status_code}: {response.text[:100]}")
        return None


class TwilioTransport(GatewayTransport):
    """``POST {api}/Accounts/{sid}/Messages.json`` (form-encoded, basic auth)."""

    name = TWILIO

    def __init__(
        self,
        api_url: str,
        account_sid: str,
        auth_token: str,
        *,
        sender_id: str,
        public_url: str,
        timeout: float = 5.0,
        http: HttpClients | None = None,
    ) -> None:
        """``http``: the process's shared clients (None: this transport's own)."""
        self._url = f"{api_url}/Accounts/{account_sid}/Messages.json"
        self._auth = httpx.BasicAuth(account_sid, auth_token)
        self._sender_id, self._public_url, self._timeout = sender_id, public_url, timeout
        self._http = http or HttpClients()

    async def deliver(self, to: str, text: str, message_id: str) -> str | None:
        form = {"To": to, "From": self._sender_id, "Body": text}
        if self._public_url:
            form["StatusCallback"] = status_callback(self._public_url, message_id)
        try:
            client = self._http.client(TWILIO_CLIENT)
            response = await client.post(
                self._url, data=form, auth=self._auth, timeout=self._timeout
            )
        except httpx.HTTPError as exc:
            raise SmsSendError(f"gateway unreachable: {exc.__class__.__name__}") from exc
        if response.status_code >= 300:
            raise SmsSendError(f"gateway answered {response.status_code}: {response.text[:100]}")
        try:
            sid = response.json().get("sid")
        except ValueError:
            sid = None
        return str(sid) if sid else None


class RecordingSmsSender(SmsSender):
    """Records, sends, and sends again what failed (see the module's docstring)."""

    def __init__(
        self,
        transport: GatewayTransport,
        outbox: Callable[[], SmsOutbox],
        quiet: Callable[[], bool] = lambda: False,
    ) -> None:
        """``outbox`` opens the store on first use (and returns the same one after);
        ``quiet`` says whether it is the quiet hours now: no message is sent again then
        (it stays due until they end)."""
        self.transport = transport
        self._outbox = outbox
        self._quiet = quiet

    @property
    def outbox(self) -> SmsOutbox:
        return self._outbox()

    async def send(self, to: str, text: str, *, secret: str | None = None) -> None:
        """Send ``text`` (as several messages if very long); raises ``SmsSendError`` only
        when a message failed and will not be sent again by itself.

        A message with a one-time code (``secret``) is recorded with the code masked, as
        kind ``code``, and never sent again, by the retry pass or by an agent: a customer
        whose code did not arrive asks for a new one."""
        kind = CODE if secret else PUSH
        for part in self.transport.split(text):
            kept = part.replace(secret, "*" * len(secret)) if secret else part
            message_id = await self.outbox.record(
                self.transport.name, to, kept, kind=kind, parts=segment(part).count
            )
            taken = await self._deliver(message_id, to, part)
            if not taken and (secret or self.outbox.retry_limit <= 1):
                raise SmsSendError("the gateway did not take the message")

    async def record_reply(self, to: str, text: str) -> str:
        """Record a reply the gateway sends itself (Kannel's answer, a TwiML message); its id."""
        return await self.outbox.record(
            self.transport.name, to, text, kind=REPLY, parts=segment(text).count, status="sent"
        )

    async def _deliver(self, message_id: str, to: str, text: str) -> bool:
        try:
            foreign_id = await self.transport.deliver(to, text, message_id)
        except SmsSendError as exc:
            logger.warning("SMS %s to %s not taken: %s", message_id, mask_msisdn(to), exc)
            await self.outbox.refused(message_id, str(exc))
            return False
        await self.outbox.sent(message_id, foreign_id)
        return True

    async def resend(self, message: OutboundSms) -> bool:
        """Send a due message again if no one else took it and it is not the quiet hours;
        whether the gateway took it."""
        if self._quiet() or not await self.outbox.claim_retry(message.id):
            return False
        return await self._deliver(message.id, message.msisdn, message.text)

    async def retry_due(self) -> int:
        """Send every due failed message again; how many the gateway took."""
        taken = 0
        for message in await self.outbox.due():
            taken += await self.resend(message)
        return taken
