"""A Redis lock store that several Rasa servers can share.

Rasa 3.6's ``RedisLockStore`` keeps a conversation's ticket queue in one JSON value
that it reads, changes and writes back. Two servers taking a ticket for the same
conversation at the same moment both read "no lock" and both take ticket 0; when the
first finishes, it deletes the lock with the second's ticket in it, and the second
message fails with ``LockError`` (Rasa answers 500, the channel sends the apology). It
happens whenever two messages or notices for one customer reach two servers together.

``SharedRedisLockStore`` keeps the same ticket lock (first come, first served, tickets
expire after Rasa's ``TICKET_LOCK_LIFETIME``) with every change atomic in Redis, and a
waiting turn looks every 20 ms whether it is served (Rasa: every second):

- ``<prefix><conversation id>:last`` counts tickets (``INCR``);
- ``<prefix><conversation id>:tickets`` is a hash of ticket number -> expiry time. A
  ticket is taken by one Lua script (count, add, extend the keys' lifetime), given back
  with ``HDEL``; Redis removes the hash with its last ticket, so a lock is never deleted
  with somebody's ticket in it.

A finished turn whose ticket cannot be given back because Redis has gone away is logged,
not raised (the answer is saved; the ticket expires by itself, as one left by a stopped
server does). Taking a ticket still fails when Redis is unreachable: the turn has not run
then, and the apology is the right answer.

``endpoints.yml``: ``lock_store: type: bot.rasa_ext.lock_store.SharedRedisLockStore`` with
the same keys as ``type: redis`` (``LOCK_STORE_TYPE`` in the scale-out set-up).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.domain.numbers import mask_msisdn

logger = logging.getLogger(__name__)

# How often a waiting turn looks whether it is served (Rasa's default is a second: a
# customer's second text, or a notice, would wait up to a second for no reason).
POLL_SECONDS = 0.02

# KEYS: counter, tickets. ARGV: expiry time (epoch seconds), lifetime (ms).
_TAKE_TICKET = """
local number = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], number, ARGV[1])
local lifetime = tonumber(ARGV[2])
for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < lifetime then redis.call('PEXPIRE', key, lifetime) end
end
return number
"""


class SharedRedisLockStore(RedisLockStore):
    """Rasa's ticket lock on Redis, safe for several Rasa servers at once."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        """As Rasa makes ``RedisLockStore`` for ``type: redis``, or from keyword arguments."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self._take_ticket = self.red.register_script(_TAKE_TICKET)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_SECONDS,
    ) -> AsyncIterator[TicketLock]:
        """Rasa's lock, looked at every ``POLL_SECONDS`` while another turn holds it."""
        async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as lock:
            yield lock

    def _counter_key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}{conversation_id}:last"

    def _tickets_key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}{conversation_id}:tickets"

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Take the next ticket for ``conversation_id`` in one atomic step."""
        keys = [self._counter_key(conversation_id), self._tickets_key(conversation_id)]
        expires = time.time() + lock_lifetime
        try:
            number = self._take_ticket(keys=keys, args=[repr(expires), int(lock_lifetime * 1000)])
        except RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return int(number)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """The conversation's unexpired tickets in number order, or None without any."""
        stored = self.red.hgetall(self._tickets_key(conversation_id))
        tickets = sorted(
            (Ticket(int(number), float(expires)) for number, expires in stored.items()),
            key=lambda ticket: ticket.number,
        )
        lock = TicketLock(conversation_id, deque(t for t in tickets if not t.has_expired()))
        return lock if lock.tickets else None

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets (a server stopped in the middle of a turn)."""
        key = self._tickets_key(conversation_id)
        expired = [
            number
            for number, expires in self.red.hgetall(key).items()
            if Ticket(int(number), float(expires)).has_expired()
        ]
        if expired:
            self.red.hdel(key, *expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back; the next one in line is served."""
        self.red.hdel(self._tickets_key(conversation_id), ticket_number)

    def save_lock(self, lock: TicketLock) -> None:
        """Add the lock's tickets (never removes anybody else's)."""
        tickets = {ticket.number: repr(ticket.expires) for ticket in lock.tickets}
        if tickets:
            self.red.hset(self._tickets_key(lock.conversation_id), mapping=tickets)

    def delete_lock(self, conversation_id: str) -> None:
        """Remove the conversation's lock and its count."""
        deleted = self.red.delete(
            self._tickets_key(conversation_id), self._counter_key(conversation_id)
        )
        self._log_deletion(conversation_id, bool(deleted))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back; if Redis is unreachable, log it and let the ticket expire.

        Nothing else is deleted: the hash goes with its last ticket, atomically.
        """
        try:
            self.finish_serving(conversation_id, ticket_number)
        except (RedisConnectionError, RedisTimeoutError) as error:
            logger.error(
                "lock store unreachable releasing the lock of %s (the turn is saved; "
                "the lock expires by itself): %s",
                mask_msisdn(conversation_id),
                error,
            )
