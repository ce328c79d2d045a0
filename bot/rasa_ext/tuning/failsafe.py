"""Tracker store errors raised, not hidden, while a customer's message is handled.

Rasa's Agent wraps the tracker store in a ``FailSafeTrackerStore``: when the database
is unreachable it hands out an empty tracker and keeps the turn in memory, so the
customer would get an answer out of context that no server remembers. Inside
``strict_tracker_store()`` (``bot.channels.guarded`` enters it for each customer
message) the store's errors are raised instead, and the customer gets an apology;
elsewhere Rasa's own error handlers (``on_tracker_store_error`` for saves,
``on_tracker_store_retrieve_error`` for reads) run unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from rasa.core.tracker_store import FailSafeTrackerStore

# True while a customer message is handled; copied into the tasks started meanwhile.
_STRICT: ContextVar[bool] = ContextVar("strict_tracker_store", default=False)


@contextmanager
def strict_tracker_store() -> Iterator[None]:
    """Within it, ``FailSafeTrackerStore`` raises its store's errors (once tuned)."""
    token = _STRICT.set(True)
    try:
        yield
    finally:
        _STRICT.reset(token)


def raising_when_strict(
    on_error: Callable[[FailSafeTrackerStore, Exception], None],
) -> Callable[[FailSafeTrackerStore, Exception], None]:
    """Rasa's ``on_error`` (``on_tracker_store_error``, ``on_tracker_store_retrieve_error``),
    raising the error instead inside ``strict_tracker_store``."""

    @functools.wraps(on_error)
    def raise_or_fall_back(store: FailSafeTrackerStore, error: Exception) -> None:
        if _STRICT.get():
            raise error
        on_error(store, error)

    return raise_or_fall_back
