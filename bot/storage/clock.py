"""The stores' clock: every stored moment is naive UTC, whatever the host's zone.

``dt.datetime.now()`` is the host's wall clock: UTC in the containers, the operator's
zone on a developer's laptop. Stores that stamp with it disagree with Rasa's UTC
timestamps as soon as the host is not on UTC; they stamp with ``utc_now`` instead, and
the console converts to each agent's zone when it shows a time (``bot.console.web.clock``).
"""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    """Now, as stored: naive UTC."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def aware_utc_now() -> dt.datetime:
    """Now in UTC, aware: for wall-clock arithmetic in a zone (business hours, quiet hours)."""
    return dt.datetime.now(dt.timezone.utc)


def utc_from_timestamp(seconds: float) -> dt.datetime:
    """A POSIX timestamp (Rasa's events, the sign-in throttle) as stored: naive UTC."""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).replace(tzinfo=None)
