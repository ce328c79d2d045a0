"""Twilio-style webhooks: form-encoded messages, ``X-Twilio-Signature``, TwiML answers.

A hosted gateway POSTs ``application/x-www-form-urlencoded`` fields (``MessageSid``,
``From``, ``To``, ``Body``) and signs them: ``X-Twilio-Signature`` is the base64
HMAC-SHA1, keyed with the account's auth token, of the URL it called followed by every
field name and value in name order. The ``twilio`` package's ``RequestValidator``
checks it (behind a proxy, ``SMS_GATEWAY_PUBLIC_URL`` gives the URL the gateway
called). The answer is TwiML, one ``<Message>`` per reply. Status callbacks carry
``MessageSid`` and ``MessageStatus`` and are signed the same way; Twilio sends them for
REST-sent messages (``StatusCallback``) and for TwiML ones (the ``<Message>``'s ``action``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.signing import SignatureError
from bot.channels.sms.outbox import ACCEPTED, DELIVERED, FAILED, SENT
from bot.channels.sms.request import BadRequest, InboundSms, clean_text, first_part
from bot.domain.numbers import is_msisdn

TWILIO = "twilio"
SIGNATURE_HEADER = "X-Twilio-Signature"
TWIML_TYPE = "application/xml; charset=utf-8"
# MessageStatus -> ours; queued/accepted/sending/scheduled say nothing new.
_STATUS = {
    "sent": ACCEPTED,
    "delivered": DELIVERED,
    "undelivered": FAILED,
    "failed": FAILED,
    "queued": SENT,
    "accepted": SENT,
    "sending": SENT,
}


def form_fields(body: bytes) -> dict[str, str]:
    """The form's fields (the last value of a repeated name, as Twilio sends none)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("form is not UTF-8") from exc
    return dict(parse_qsl(text, keep_blank_values=True))


def verify(auth_token: str, url: str, fields: dict[str, str], signature: str | None) -> None:
    """Raise ``SignatureError`` unless ``signature`` signs ``url`` and ``fields``."""
    if not signature or not RequestValidator(auth_token).validate(url, fields, signature):
        raise SignatureError("invalid or missing X-Twilio-Signature")


_SID = re.compile(r"[A-Z]{2}[0-9A-Za-z]{1,62}")
_SERVICE_NUMBER = re.compile(r"\+?[0-9]{3,20}")


def parse_twilio(fields: dict[str, str], max_text: int) -> InboundSms:
    """One inbound message from the form's fields."""
    sid, sender = fields.get("MessageSid", "").strip(), fields.get("From", "").strip()
    to = fields.get("To", "").strip()
    # The signature covers the fields together, not each apart: each must have its form.
    if not _SID.fullmatch(sid):
        raise BadRequest("MessageSid must be two capitals and up to 62 letters or digits")
    if not is_msisdn(sender):
        raise BadRequest("From must be a number in E.164 form")
    if not _SERVICE_NUMBER.fullmatch(to):
        raise BadRequest("To must be a number or short code of at most 20 digits")
    text = clean_text(fields.get("Body", ""))
    if not text:
        raise BadRequest("Body is empty")
    return InboundSms(f"{TWILIO}:{sid}", sender, to, first_part(text, max_text))


def is_service_number(to: str, service_number: str) -> bool:
    """Whether ``to`` is the service's number ("+10086", "10086" and "10086" alike)."""
    return to.lstrip("+") == service_number.lstrip("+")


def twiml(texts: list[str], callbacks: list[str] | None = None) -> str:
    """The TwiML answer: one ``<Message>`` per reply (none: an empty ``<Response/>``), each
    with its status callback URL as ``action`` when ``callbacks`` gives them."""
    response = MessagingResponse()
    for index, text in enumerate(texts):
        action = callbacks[index] if callbacks else None
        response.message(text, action=action, method="POST" if action else None)
    return str(response)


def status_callback(public_url: str, message_id: str) -> str:
    """Where the gateway reports on one of our messages (REST ``StatusCallback`` or TwiML
    ``action``: Twilio sends status callbacks for both)."""
    return f"{public_url}/webhooks/sms/twilio/status?id={message_id}"


def status_of(message_status: str) -> str | None:
    """Our status for a callback's ``MessageStatus`` (None: unknown)."""
    return _STATUS.get(message_status.strip().lower())
