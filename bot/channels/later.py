"""Messages kept while a store is down, handled again until they are answered.

For a gateway that does not send a message again (Twilio-style webhooks), the channel
keeps it here and answers it through the outbound API once the store is back
(``bot.channels.outage``). Each kept message is tried with a growing pause, for at
most ``keep_seconds``; the channel's delivery records (by message id) make sure it is
acted on once. They are kept in this process's memory: a restart during an outage
loses what was kept (docs/security.md, "Known limits").
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)
Attempt = Callable[[], Awaitable[bool]]  # True once the message was answered


class KeptMessages:
    """Tries kept messages again in the background until each is answered."""

    def __init__(
        self,
        keep_seconds: float = 600.0,
        most: int = 2000,
        first_pause: float = 0.5,
        longest_pause: float = 5.0,
    ) -> None:
        self._keep = keep_seconds
        self._most = most
        self._first, self._longest = first_pause, longest_pause
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def __len__(self) -> int:
        return len(self._tasks)

    def keep(self, key: str, attempt: Attempt) -> bool:
        """Try ``attempt`` again until it answers; False if too many are kept already."""
        if key in self._tasks:
            return True
        if len(self._tasks) >= self._most:
            logger.error("%d messages kept already; %s is not kept", len(self._tasks), key)
            return False
        task = asyncio.ensure_future(self._retry(key, attempt))
        self._tasks[key] = task
        task.add_done_callback(lambda _: self._tasks.pop(key, None))
        return True

    async def _retry(self, key: str, attempt: Attempt) -> None:
        loop = asyncio.get_running_loop()
        deadline, pause = loop.time() + self._keep, self._first
        while loop.time() < deadline:
            await asyncio.sleep(pause)
            pause = min(pause * 2, self._longest)
            try:
                if await attempt():
                    logger.info("kept message %s answered", key)
                    return
            except Exception:
                logger.exception("kept message %s: trying again failed", key)
        logger.error("kept message %s not answered within %.0f s", key, self._keep)

    async def close(self) -> None:
        """Stop trying (the process is stopping)."""
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
