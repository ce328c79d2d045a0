"""A conversation's transcript from its tracker events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.handoff.desk import TranscriptLine
from bot.storage.clock import utc_from_timestamp


def _time(event: dict[str, Any]) -> dt.datetime:
    return utc_from_timestamp(float(event.get("timestamp") or 0))  # stored moments: UTC


def transcript(events: list[dict[str, Any]]) -> list[TranscriptLine]:
    """Customer, bot and agent messages in order (agent messages carry ``metadata.agent``)."""
    lines = []
    for event in events:
        kind, text = event.get("event"), event.get("text")
        if not text:
            continue
        if kind == "user":
            lines.append(TranscriptLine("customer", str(text), _time(event)))
        elif kind == "bot":
            speaker = "agent" if (event.get("metadata") or {}).get("agent") else "bot"
            lines.append(TranscriptLine(speaker, str(text), _time(event)))
    return lines


def customer_texts_since(events: list[dict[str, Any]], since: dt.datetime) -> list[str]:
    """What the customer wrote from ``since`` on (e.g. while waiting for an agent)."""
    return [
        line.text
        for line in transcript(events)
        if line.speaker == "customer" and line.time >= since
    ]
