"""The Prometheus metrics every process exposes on ``/metrics`` (``prometheus_client``).

Each metric is defined here once, in ``prometheus_client``'s default registry: defining
one does no work beyond an entry in a dictionary. Every process (each Rasa server, each
action server, the console, the notice scheduler) exposes its own figures; Prometheus
scrapes each and adds them up (``deploy/prometheus.yml``, docs/operations.md).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

MESSAGES = Counter(
    "assistant_messages",
    "Customer messages handled by Rasa, by channel and intent",
    ["channel", "intent"],
)
REPLY_SECONDS = Histogram(
    "assistant_reply_seconds",
    "Time from a customer's message to the bot's reply, by channel",
    ["channel"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 4.5, 10.0),
)
REPLY_FAILURES = Counter(
    "assistant_reply_failures",
    "Messages answered with an apology or left for later, by cause",
    ["channel", "cause"],  # timeout, error, store_outage
)
FALLBACKS = Counter("assistant_fallbacks", "Messages the NLU could not read (nlu_fallback)")
HANDOFFS = Counter("assistant_handoffs", "Cases opened for a human agent, by reason", ["reason"])
QUEUE_LENGTH = Gauge("assistant_queue_length", "Cases waiting for an agent (as last counted)")
LIVE_CLIENTS = Gauge("console_live_clients", "Browsers on the console's live stream (SSE)")
QUEUE_WAIT_SECONDS = Histogram(
    "assistant_queue_wait_seconds",
    "How long a case waited before an agent claimed it",
    buckets=(10, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 12 * 3600),
)
NOTICES = Counter(
    "assistant_notices",
    "Proactive notices by kind and result (sent, found_sent, failed)",
    ["kind", "result"],
)
SMS_DELIVERIES = Counter(
    "assistant_sms_deliveries", "SMS delivery reports from the gateways, by status", ["status"]
)
ACTION_ERRORS = Counter(
    "assistant_action_errors",
    "Custom actions that crashed (the customer got an apology)",
    ["action"],
)

FALLBACK_INTENT = "nlu_fallback"
UNKNOWN = "unknown"
_TURN: ContextVar[list[str] | None] = ContextVar("metrics_turn", default=None)


@contextmanager
def reading_intent() -> Iterator[list[str]]:
    """Collect the intents ``note_intent`` hears in this context (the turn being handled)."""
    holder: list[str] = []
    token = _TURN.set(holder)
    try:
        yield holder
    finally:
        _TURN.reset(token)


def note_intent(name: str | None) -> None:
    """Tell the turn being handled (if any) the intent its message was read as.

    The project's tracker store calls this when Rasa saves the turn: the parse is final
    then (buttons' ``/intent`` payloads included), and no extra read is needed.
    """
    holder = _TURN.get()
    if holder is not None and name:
        holder.append(name)


def count_message(channel: str, intent: str | None) -> None:
    """One handled message on ``channel`` read as ``intent`` (a fallback counted too)."""
    MESSAGES.labels(channel=channel or UNKNOWN, intent=intent or UNKNOWN).inc()
    if intent == FALLBACK_INTENT:
        FALLBACKS.inc()


def exposition() -> tuple[bytes, str]:
    """This process's metrics in Prometheus's text format, with its content type."""
    return generate_latest(), CONTENT_TYPE_LATEST


def bearer_matches(header: str | None, token: str) -> bool:
    """Whether ``Authorization: Bearer <token>`` was sent (never true for an empty token)."""
    scheme, _, given = (header or "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    digest = hashlib.sha256
    return hmac.compare_digest(
        digest(given.strip().encode()).digest(), digest(token.encode()).digest()
    )
