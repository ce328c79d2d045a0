"""Rasa's Redis lock store, without an apology after the answer when Redis goes away.

Rasa releases a conversation's lock after the turn is saved and the replies are
collected; if Redis has become unreachable by then, ``RedisLockStore`` raises, and
the channel (``bot.channels.guarded``) sends the real answer followed by an apology.
``ForgivingRedisLockStore`` logs the failed release instead and lets the lock
expire after its lifetime (Rasa's ``LOCK_LIFETIME``), as a lock left by a stopped
server does. Acquiring a lock still fails when Redis is unreachable: the turn has
not run then, and the apology is the right answer.

``endpoints.yml``: ``lock_store: type: bot.rasa_ext.lock_store.ForgivingRedisLockStore``
with the same keys as ``type: redis`` (``LOCK_STORE_TYPE`` in the scale-out set-up).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.domain.numbers import mask_msisdn

logger = logging.getLogger(__name__)


class ForgivingRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose lock release never fails a finished turn."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        """As Rasa makes ``RedisLockStore`` for ``type: redis``, or from keyword arguments."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Release the ticket; if Redis is unreachable, log it and let the lock expire."""
        try:
            super().cleanup(conversation_id, ticket_number)
        except (RedisConnectionError, RedisTimeoutError) as error:
            logger.error(
                "lock store unreachable releasing the lock of %s (the turn is saved; "
                "the lock expires by itself): %s",
                mask_msisdn(conversation_id),
                error,
            )
