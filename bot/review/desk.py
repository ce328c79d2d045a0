"""What the console's Review page calls: read new candidates, list, label, dismiss."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.domain.files import load_domain
from bot.domain.requests import COMBINED_SEPARATOR
from bot.review.source import ReviewSource
from bot.review.store import ReviewError, ReviewItem, ReviewStore
from bot.storage.clock import utc_now
from bot.storage.paging import Slice

OUT_OF_SCOPE = "out_of_scope"
SCAN_BATCH = 500
SCANS_PER_SYNC = 10  # at most 5000 events per page view; the rest on the next one
DEFAULT_LOOKBACK = dt.timedelta(days=30)  # how far back the first sync reads
HIDDEN_INTENTS = frozenset({"nlu_fallback"})


def domain_intents(domain_path: Path) -> list[str]:
    """The intents of the domain (plain names or ``{name: {...}}``) a customer's words
    can be labelled with, sorted, plus ``out_of_scope``: not the notices' ``EXTERNAL_``
    ones, nor two requests combined (the classifier reads each part; its training data
    has single intents only)."""
    domain = load_domain(domain_path)
    names = {
        entry if isinstance(entry, str) else next(iter(entry))
        for entry in domain.get("intents") or []
    }
    labels = {n for n in names if not n.startswith("EXTERNAL_") and COMBINED_SEPARATOR not in n}
    return sorted((labels | {OUT_OF_SCOPE}) - HIDDEN_INTENTS)


class ReviewDesk:
    """Candidates from ``source`` into ``store``; labels limited to ``intents``."""

    def __init__(
        self,
        source: ReviewSource,
        store: ReviewStore,
        intents: Sequence[str],
        *,
        source_name: str = "tracker",
        lookback: dt.timedelta = DEFAULT_LOOKBACK,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self._source = source
        self._store = store
        self.intents = list(intents)
        self._source_name = source_name
        self._lookback = lookback
        self._clock = clock

    def sync(self) -> int:
        """Read the source from where the last sync stopped; the number of items added."""
        since = self._store.cursor(self._source_name)
        if since is None:
            since = (self._clock() - self._lookback).timestamp()
        added = 0
        for _ in range(SCANS_PER_SYNC):
            scan = self._source.scan(since, SCAN_BATCH)
            added += self._store.add(scan.candidates, self._source_name, scan.newest)
            if scan.complete or scan.newest is None or scan.newest <= since:
                break
            since = scan.newest  # inclusive: items already kept are not added twice
        return added

    async def open_items(self) -> list[ReviewItem]:
        """New candidates first, then every open item, newest first."""

        def work() -> list[ReviewItem]:
            self.sync()
            return self._store.open_items()

        return await asyncio.to_thread(work)

    async def open_slice(self, limit: int, offset: int = 0) -> Slice[ReviewItem]:
        """New candidates first, then ``limit`` open items from ``offset``, newest first."""

        def work() -> Slice[ReviewItem]:
            self.sync()
            return self._store.open_slice(limit, offset)

        return await asyncio.to_thread(work)

    async def label(self, item_id: int, intent: str, agent: str) -> None:
        """Label an open item with one of ``intents``; ``ReviewError`` otherwise."""
        if intent not in self.intents:
            raise ReviewError(f"unknown intent {intent!r}")
        await asyncio.to_thread(self._store.label, item_id, intent, agent)

    async def dismiss(self, item_id: int, agent: str) -> None:
        """Dismiss an open item; ``ReviewError`` if it is not open."""
        await asyncio.to_thread(self._store.dismiss, item_id, agent)
