"""Parsing and validation of the SMS gateway's webhook body."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

MAX_BODY_BYTES = 16 * 1024
_MSISDN = re.compile(r"\+\d{6,15}")
_LEADING_SLASHES = re.compile(r"^[\s/]+")


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
    if not message_id.strip() or len(message_id) > 128:
        raise BadRequest("message_id must be 1 to 128 characters")
    if not _MSISDN.fullmatch(sender):
        raise BadRequest("from must be a number in E.164 form, e.g. +8613800000001")
    text = clean_text(text)
    if not text:
        raise BadRequest("text is empty")
    if len(text) > max_text:
        raise BadRequest(f"text is longer than {max_text} characters", 413)
    return InboundSms(message_id.strip(), sender, to.strip(), text)


def clean_text(text: str) -> str:
    """Drop control characters and leading slashes.

    A leading ``/`` would make Rasa read the text as an intent payload
    (``/restart`` un-pauses a handoff), which only the bot's own buttons may send.
    """
    printable = "".join(ch for ch in text if ch.isprintable() or ch in " \n")
    return _LEADING_SLASHES.sub("", printable).strip()
