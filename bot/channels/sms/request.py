"""Receiving, parsing and validation of the SMS gateway's webhook body.

The body is JSON ``{"message_id", "from", "to", "text"}``, at most
``MAX_BODY_BYTES``: ``message_id`` 1 to 128 printable ASCII characters,
``from`` an E.164 number, ``to`` a number or short code (ASCII digits with an
optional leading ``+``, at most 20 characters), ``text`` at most ``max_text``
characters. Numbers are ASCII digits only (``\\d`` would also accept, e.g.,
Arabic-Indic or fullwidth digits). ``read_body`` reads a streamed body within
a size limit and a total deadline.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass
from typing import Any, Protocol

from bot.domain.numbers import is_msisdn

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
BODY_TIMEOUT_SECONDS = 10.0
MAX_TO_CHARS = 20
_SERVICE_NUMBER = re.compile(r"\+?[0-9]+")
_MESSAGE_ID = re.compile(r"[\x20-\x7e]{1,128}")
_LEADING_SLASHES = re.compile(r"^[\s/]+")


class BodyStream(Protocol):
    """What ``read_body`` needs of a streamed request body (Sanic's ``request.stream``)."""

    async def read(self) -> bytes | None:
        """The next chunk of the body, or None at its end."""


class BadRequest(Exception):
    """The webhook body is not acceptable; ``status`` is the HTTP status to return."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class InboundSms:
    """One message from a customer, as the gateway delivers it."""

    message_id: str
    sender: str
    to: str
    text: str


def content_length(header: str | None, limit: int = MAX_BODY_BYTES) -> int | None:
    """The declared body size (None if not declared); ``BadRequest`` if over ``limit``."""
    if header is None:
        return None
    if not re.fullmatch(r"[0-9]{1,20}", header.strip()):
        raise BadRequest("invalid Content-Length")
    size = int(header)
    if size > limit:
        raise BadRequest("request body too large", 413)
    return size


async def read_body(
    stream: BodyStream, limit: int = MAX_BODY_BYTES, timeout: float = BODY_TIMEOUT_SECONDS
) -> bytes:
    """The whole body: 413 as soon as it passes ``limit``, 408 if not in within ``timeout``."""
    try:
        return await asyncio.wait_for(_read_at_most(stream, limit), timeout)
    except asyncio.TimeoutError as exc:
        raise BadRequest("request body not received in time", 408) from exc


async def _read_at_most(stream: BodyStream, limit: int) -> bytes:
    body = bytearray()
    while (chunk := await stream.read()) is not None:
        body += chunk
        if len(body) > limit:
            raise BadRequest("request body too large", 413)
    return bytes(body)


def json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object; ``BadRequest`` (413 or 400) for anything else."""
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest("request body too large", 413)
    try:
        data: Any = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise BadRequest(f"body is not valid UTF-8 JSON: {exc.__class__.__name__}") from exc
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object")
    return data


def parse_inbound(body: bytes, max_text: int) -> InboundSms:
    """Validate the JSON body ``{"message_id", "from", "to", "text"}``."""
    data = json_object(body)
    fields = {key: data.get(key) for key in ("message_id", "from", "to", "text")}
    missing = [key for key, value in fields.items() if value is None]
    if missing:
        raise BadRequest(f"missing fields: {', '.join(missing)}")
    wrong = [key for key, value in fields.items() if not isinstance(value, str)]
    if wrong:
        raise BadRequest(f"fields must be strings: {', '.join(wrong)}")
    message_id, sender, to, text = (str(fields[k]) for k in ("message_id", "from", "to", "text"))
    message_id, to = message_id.strip(), to.strip()
    if not _MESSAGE_ID.fullmatch(message_id):
        raise BadRequest("message_id must be 1 to 128 printable ASCII characters")
    if not is_msisdn(sender):
        raise BadRequest("from must be a number in E.164 form, e.g. +8613800000001")
    if len(to) > MAX_TO_CHARS or not _SERVICE_NUMBER.fullmatch(to):
        raise BadRequest("to must be a number or short code of at most 20 ASCII digits")
    text = clean_text(text)
    if not text:
        raise BadRequest("text is empty")
    if len(text) > max_text:
        raise BadRequest(f"text is longer than {max_text} characters", 413)
    return InboundSms(message_id, sender, to, text)


def clean_text(text: str) -> str:
    """Drop control characters and leading slashes.

    A leading ``/`` would make Rasa read the text as an intent payload
    (``/restart`` un-pauses a handoff), which only the bot's own buttons may send.
    """
    printable = "".join(ch for ch in text if ch.isprintable() or ch in " \n")
    return _LEADING_SLASHES.sub("", printable).strip()


def first_part(text: str, max_text: int) -> str:
    """A text longer than ``max_text`` (a long concatenated SMS a real gateway let through):
    its first ``max_text`` characters, so the customer still gets an answer; refusing it
    would reach nobody, as the gateway drops the refused message."""
    if len(text) <= max_text:
        return text
    logger.info("a %d-character SMS is read by its first %d characters", len(text), max_text)
    return text[:max_text]
