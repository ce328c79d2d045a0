"""One tail of the desk's change log per console process, fanned out to every open stream.

The hub asks the log for entries after its cursor every ``interval`` seconds (one indexed
query, whatever the number of browsers) and hands each entry to every subscriber. A
subscriber that falls ``queue_size`` entries behind is dropped (``lost``); its browser
reconnects with ``Last-Event-ID`` and catches up from the log (``backlog``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from bot.handoff.desk_events import DeskEvent
from bot.metrics import LIVE_CLIENTS

log = logging.getLogger(__name__)
INTERVAL = 0.3  # seconds between two reads of the log
HEARTBEAT = 15.0  # seconds between two comments on an idle stream (and session checks)
BATCH = 200  # entries read at once


class ChangeLog(Protocol):
    """The log as the hub reads it (``bot.handoff.desk_events.DeskEventLog``)."""

    async def latest_id(self) -> int:
        """The newest entry's id, 0 when empty."""

    async def since(self, after_id: int, limit: int = 100) -> list[DeskEvent]:
        """Entries after ``after_id``, oldest first."""


class Subscriber:
    """One stream's inbox: entries in order; ``lost`` once more than ``limit`` piled up."""

    def __init__(self, limit: int) -> None:
        self._queue: asyncio.Queue[DeskEvent | None] = asyncio.Queue()  # None: lost
        self._limit = limit
        self.lost = False

    def offer(self, event: DeskEvent) -> None:
        """Hand over an entry without waiting; an overflowing inbox marks the subscriber lost."""
        if self.lost:
            return
        if self._queue.qsize() >= self._limit:
            self.lost = True
            self._queue.put_nowait(None)
            return
        self._queue.put_nowait(event)

    async def next(self, timeout: float) -> DeskEvent | None:
        """The next entry; None after ``timeout`` seconds without one, or once ``lost``."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except asyncio.TimeoutError:
            return None


class LiveHub:
    """The process's tail of the log, started by the first subscriber."""

    def __init__(
        self,
        log: ChangeLog,
        interval: float = INTERVAL,
        batch: int = BATCH,
        queue_size: int = 500,
        heartbeat: float = HEARTBEAT,
    ) -> None:
        self._log = log
        self.interval = interval
        self.batch = batch
        self.heartbeat = heartbeat
        self._queue_size = queue_size
        self._subscribers: set[Subscriber] = set()
        self._cursor: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._reading = asyncio.Lock()  # one read at a time: each entry handed out once

    @property
    def cursor(self) -> int | None:
        """The id of the newest entry handed out (None before the first subscriber)."""
        return self._cursor

    @property
    def subscribers(self) -> int:
        """Open streams."""
        return len(self._subscribers)

    async def subscribe(self) -> Subscriber:
        """A new inbox; the first one (again) starts from the log's newest entry."""
        if not self._subscribers or self._cursor is None:
            self._cursor = await self._log.latest_id()
        subscriber = Subscriber(self._queue_size)
        self._subscribers.add(subscriber)
        LIVE_CLIENTS.inc()
        self.start()
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Forget a stream (its browser went away)."""
        if subscriber in self._subscribers:
            self._subscribers.discard(subscriber)
            LIVE_CLIENTS.dec()

    async def backlog(self, after_id: int) -> list[DeskEvent]:
        """What a reconnecting browser missed (at most ``batch`` entries)."""
        return await self._log.since(after_id, self.batch)

    async def poll_once(self) -> int:
        """Read the log once and hand every new entry to every subscriber; how many."""
        async with self._reading:
            if self._cursor is None:
                self._cursor = await self._log.latest_id()
            events = await self._log.since(self._cursor, self.batch)
            for event in events:
                for subscriber in list(self._subscribers):
                    subscriber.offer(event)
            if events:
                self._cursor = events[-1].id
            return len(events)

    async def run(self) -> None:
        """Tail the log until cancelled; a failed read is logged and tried again."""
        while True:
            await asyncio.sleep(self.interval)
            if not self._subscribers:
                continue
            try:
                while await self.poll_once() >= self.batch:
                    pass  # a burst: drain it before sleeping
            except Exception:
                log.exception("reading the desk's change log failed")

    def start(self) -> None:
        """Start the tail on the running loop (once)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.run())

    async def stop(self) -> None:
        """Stop the tail (the server is stopping)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
