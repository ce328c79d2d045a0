"""A store outage: the message was not handled, and the channel says "try again".

While PostgreSQL (Rasa's tracker store, the billing and state databases) or Redis
(Rasa's lock store) is unreachable, a message cannot be handled in context. Rather
than apologise (the customer would have to send it again), ``bot.channels.guarded``
raises ``StoreUnavailable``; each channel then lets the message come back once the
store is: a retryable 503 where the sender retries (the signed SMS webhook, Kannel's
smsbox, the Telegram bridge), or it keeps the message and answers later through the
outbound API (Twilio-style gateways, which do not retry). The channels' delivery
records (by message id) make sure it is acted on and answered once.
"""

from __future__ import annotations

from rasa.core.lock_store import LockError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sanic.response import HTTPResponse
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

RETRY_AFTER_SECONDS = 3  # what a 503 asks the sender to wait before trying again
_OUTAGES: tuple[type[BaseException], ...] = (
    OperationalError,  # the database refused or dropped the connection
    InterfaceError,
    DisconnectionError,
    RedisConnectionError,
    RedisTimeoutError,
    LockError,  # the conversation's lock could not be had (Redis down or slow)
    ConnectionError,  # refused, reset
)


class StoreUnavailable(Exception):
    """A store the bot needs is down; the message was not handled. Try again later."""


_LOCK_OUTAGES = (RedisConnectionError, RedisTimeoutError, LockError)


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is a store that could not be reached."""
    return _caused_by(error, _OUTAGES)


def is_lock_outage(error: BaseException) -> bool:
    """Whether ``error`` is the lock store's. Rasa takes the lock before the turn and
    gives it back after saving it: once the bot has replied, such an error came from
    giving it back, and the turn is complete and kept."""
    return _caused_by(error, _LOCK_OUTAGES)


def _caused_by(error: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kinds):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def retry_later(answer: HTTPResponse) -> HTTPResponse:
    """``answer`` (a 503) with the ``Retry-After`` the sender is to wait."""
    answer.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return answer
