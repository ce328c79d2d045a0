"""Conversation ids, scoped by channel so that no channel can name another's conversation.

- ``sms``: the customer's number in E.164 form (``+8613800000001``), vouched for by
  the gateway's signature;
- ``telegram``: ``tg-<Telegram user id>``, vouched for by the bridge's signature;
- ``rest`` (web chat): ``web-<random>.<mac>``, issued by the server (``issue_web_session``)
  and recognised by its MAC; a client cannot choose one, nor name an SMS or
  Telegram conversation, because the three forms are disjoint.

No Rasa import: the actions, the console and the channels all use it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from bot.domain.numbers import is_msisdn

SMS = "sms"
TELEGRAM = "telegram"
WEB = "rest"  # Rasa's REST channel name, kept by the web-chat channel
CHANNELS = frozenset({SMS, TELEGRAM, WEB})
TELEGRAM_PREFIX = "tg-"  # a Telegram conversation: this, then the Telegram user id

_TELEGRAM = re.compile(rf"{TELEGRAM_PREFIX}[0-9]{{1,20}}")
_WEB = re.compile(r"web-([A-Za-z0-9_-]{22})\.([0-9a-f]{32})")
_WEB_PURPOSE = b"web-chat-session\n"


def _web_mac(secret: str, nonce: str) -> str:
    key = secret.encode("utf-8")
    return hmac.new(key, _WEB_PURPOSE + nonce.encode("ascii"), hashlib.sha256).hexdigest()[:32]


def telegram_conversation(user_id: int | str) -> str:
    """The conversation id of Telegram user ``user_id``."""
    return f"{TELEGRAM_PREFIX}{user_id}"


def telegram_user_id(conversation_id: str) -> str:
    """The Telegram user id (the chat to send to) of a Telegram conversation id."""
    if not is_telegram(conversation_id):
        raise ValueError("not a Telegram conversation: expected tg-<user id>")
    return conversation_id.removeprefix(TELEGRAM_PREFIX)


def is_telegram(conversation_id: str) -> bool:
    """Whether ``conversation_id`` has the form of a Telegram conversation."""
    return _TELEGRAM.fullmatch(conversation_id) is not None


def issue_web_session(secret: str) -> str:
    """A new, unguessable web-chat conversation id that only this server could have made."""
    nonce = secrets.token_urlsafe(16)  # 22 characters, 128 random bits
    return f"web-{nonce}.{_web_mac(secret, nonce)}"


def is_web_session(secret: str, conversation_id: str) -> bool:
    """Whether ``conversation_id`` was issued by ``issue_web_session`` with ``secret``."""
    found = _WEB.fullmatch(conversation_id)
    if found is None:
        return False
    return hmac.compare_digest(_web_mac(secret, found.group(1)), found.group(2))


def belongs_to(channel: str, conversation_id: str, web_secret: str | None = None) -> bool:
    """Whether ``conversation_id`` has the form of ``channel``'s conversations.

    Web-chat ids are checked against their MAC when ``web_secret`` is given.
    """
    if channel == SMS:
        return is_msisdn(conversation_id)
    if channel == TELEGRAM:
        return is_telegram(conversation_id)
    if channel == WEB:
        if web_secret is not None:
            return is_web_session(web_secret, conversation_id)
        return bool(_WEB.fullmatch(conversation_id))
    return False


def channel_of(conversation_id: str) -> str | None:
    """The channel whose form ``conversation_id`` has (None: no channel's)."""
    return next((c for c in (SMS, TELEGRAM, WEB) if belongs_to(c, conversation_id)), None)
