"""Tracker store errors raised, not hidden, while a customer's message is handled.

Rasa's Agent wraps the tracker store in a ``FailSafeTrackerStore``: when the database
is unreachable it hands out an empty tracker and keeps the turn in memory, so the
customer would get an answer out of context that no server remembers. Inside
``strict_tracker_store()`` (``bot.channels.guarded`` enters it for each customer
message) the store's errors are raised instead, and the customer's channel answers
"come back later"; elsewhere Rasa's own error handlers (``on_tracker_store_error`` for
saves, ``on_tracker_store_retrieve_error`` for reads) run unchanged.

This changes what customers get, so it is not one of the speed-ups of
``bot.rasa_ext.tuning``: ``install_failsafe`` puts it in place on every start of the
Rasa server (``bot.rasa_ext.server``), whatever ``RASA_TUNING`` says. Rasa's Agent
wraps every tracker store, a custom one included, without an error callback, so no
extension point fits: the two handlers are patched. The patch was read against Rasa
3.6's ``FailSafeTrackerStore``; on another Rasa it refuses to start
(``FailsafeError``) rather than silently leave customers without it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import rasa
from rasa.core.tracker_store import FailSafeTrackerStore

RASA_SERIES = "3.6"  # the Rasa whose FailSafeTrackerStore the patch was written for
HANDLERS = ("on_tracker_store_error", "on_tracker_store_retrieve_error")

# True while a customer message is handled; copied into the tasks started meanwhile.
_STRICT: ContextVar[bool] = ContextVar("strict_tracker_store", default=False)
_ORIGINALS: dict[str, Any] = {}  # Rasa's handlers, by name, while the patch is installed

_OnError = Callable[[FailSafeTrackerStore, Exception], None]


class FailsafeError(RuntimeError):
    """The installed Rasa is not the one the failsafe was written for."""


@contextmanager
def strict_tracker_store() -> Iterator[None]:
    """Within it, ``FailSafeTrackerStore`` raises its store's errors (once installed)."""
    token = _STRICT.set(True)
    try:
        yield
    finally:
        _STRICT.reset(token)


def raising_when_strict(on_error: _OnError) -> _OnError:
    """Rasa's ``on_error`` (``on_tracker_store_error``, ``on_tracker_store_retrieve_error``),
    raising the error instead inside ``strict_tracker_store``."""

    @functools.wraps(on_error)
    def raise_or_fall_back(store: FailSafeTrackerStore, error: Exception) -> None:
        if _STRICT.get():
            raise error
        on_error(store, error)

    return raise_or_fall_back


def _check() -> None:
    version = rasa.__version__
    if version.split(".")[:2] != RASA_SERIES.split("."):
        raise FailsafeError(
            f"rasa {version} is not {RASA_SERIES}.x: its FailSafeTrackerStore would hide a "
            "tracker store outage from customers (check bot/rasa_ext/failsafe.py against it)"
        )
    missing = [name for name in HANDLERS if name not in FailSafeTrackerStore.__dict__]
    if missing:
        raise FailsafeError(
            f"rasa {version}'s FailSafeTrackerStore has no {', '.join(missing)}: "
            "the failsafe cannot be installed (update bot/rasa_ext/failsafe.py)"
        )


def install_failsafe() -> None:
    """Install the failsafe (idempotent), whatever ``RASA_TUNING`` says.

    Raises ``FailsafeError``, installing nothing, on a Rasa other than 3.6 or when a
    handler is missing.
    """
    _check()
    for name in HANDLERS:
        if name not in _ORIGINALS:
            original = FailSafeTrackerStore.__dict__[name]
            setattr(FailSafeTrackerStore, name, raising_when_strict(original))
            _ORIGINALS[name] = original


def failsafe_installed() -> bool:
    """Whether both handlers are the failsafe's now."""
    return all(
        name in _ORIGINALS and FailSafeTrackerStore.__dict__[name] is not _ORIGINALS[name]
        for name in HANDLERS
    )


def uninstall_failsafe() -> None:
    """Put Rasa's handlers back (the tests' way back to stock Rasa)."""
    for name in HANDLERS:
        original = _ORIGINALS.pop(name, None)
        if original is not None:
            setattr(FailSafeTrackerStore, name, original)
