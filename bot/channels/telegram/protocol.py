"""The bridge protocol: what the bridge posts to Rasa's ``telegram`` channel and gets back.

Request: ``POST /webhooks/telegram/webhook`` with the JSON body
``{"sender_id": "tg-<user id>", "message_id", "text", "msisdn": str | null,
"payload": bool}`` and the headers ``X-Bridge-Timestamp`` (Unix seconds) and
``X-Bridge-Signature`` (hex HMAC-SHA256 with ``TELEGRAM_BRIDGE_SECRET`` of
``b"<timestamp>." + body``, as the SMS gateway signs: a captured request is refused
once its timestamp is more than 5 minutes away). ``payload: true`` marks the data of
one of the bot's own buttons; only ``BUTTON_PAYLOADS`` and a data pack's choice
(``is_button_payload``) may be sent that way.

Answer: ``{"messages": [{"text": str, "buttons": [{"title", "payload"}] | null}]}``.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

from bot.channels.signing import sign_timestamped
from bot.domain.account_intents import ASK_FIRST_INTENTS
from bot.domain.ids import telegram_conversation

CHANNEL_NAME = "telegram"
SIGNATURE_HEADER = "X-Bridge-Signature"
TIMESTAMP_HEADER = "X-Bridge-Timestamp"
BUTTON_PAYLOADS = frozenset(
    {"/affirm", "/deny", "/out_of_scope", "/human_handoff", "/stop"}
    | {f'/rate_service{{"rating": "{r}"}}' for r in ("satisfied", "neutral", "unsatisfied")}
    | {f"/{intent}" for intent in ASK_FIRST_INTENTS}  # "did you mean …?" (actions/unsure.py)
)
# A data pack chosen from the offer (actions/packs.py): the code is checked by the action.
PACK_PAYLOAD = re.compile(r'/choose_data_pack\{"data_pack": ?"[A-Z0-9]{1,16}"\}')
MAX_TEXT = 4096  # Telegram's own limit for one message


def is_button_payload(text: str) -> bool:
    """Whether ``text`` is the payload of one of the bot's own buttons (not typed intents)."""
    return text in BUTTON_PAYLOADS or PACK_PAYLOAD.fullmatch(text) is not None


def sender_id(telegram_user_id: int) -> str:
    """The Rasa conversation id of a Telegram user."""
    return telegram_conversation(telegram_user_id)


@dataclass(frozen=True)
class BridgeMessage:
    """One customer message (or button press) forwarded to Rasa."""

    sender_id: str
    message_id: str
    text: str
    msisdn: str | None = None
    payload: bool = False

    def to_body(self) -> bytes:
        """The JSON request body (UTF-8)."""
        data = {
            "sender_id": self.sender_id,
            "message_id": self.message_id,
            "text": self.text,
            "msisdn": self.msisdn,
            "payload": self.payload,
        }
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class Button:
    """A button of a bot message: its label and what pressing it sends."""

    title: str
    payload: str


@dataclass(frozen=True)
class BotReply:
    """One bot message as the channel returns it."""

    text: str
    buttons: tuple[Button, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The message in the channel's answer."""
        buttons = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        return {"text": self.text, "buttons": buttons or None}


def parse_replies(data: Any) -> list[BotReply]:
    """The bot messages in the channel's answer; a malformed answer raises ``ValueError``."""
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ValueError("the answer has no messages list")
    replies = []
    for message in data["messages"]:
        if not isinstance(message, dict):
            raise ValueError("a message is not an object")
        buttons = tuple(
            Button(str(b.get("title", "")), str(b.get("payload", "")))
            for b in message.get("buttons") or []
            if isinstance(b, dict)
        )
        replies.append(BotReply(str(message.get("text") or ""), buttons))
    return replies


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """The bridge's ``X-Bridge-Timestamp`` and ``X-Bridge-Signature`` for ``body``, signed now."""
    timestamp = str(int(time.time() if now is None else now))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign_timestamped(secret, timestamp, body),
    }
