"""JSON text by ujson (a Rasa dependency, about twice as fast as ``json``).

Used where whole conversations are encoded on every message: event rows of the
tracker store and request bodies to the action server. The output is standard JSON
and floats round-trip exactly; a value ujson refuses (NaN, infinity) is encoded by
``json``, as before.

An ``Encoded`` list carries its own JSON text: ``dumps_body`` (the action server's
request bodies, which hold the conversation's events at ``tracker.events``,
``bot.rasa_ext.tuning.payload``) writes one found as a value of the body or of a dict
inside it as that text, not encoded again.
"""

from __future__ import annotations

import json
from typing import Any

import ujson

# Stands in for an ``Encoded`` value while the rest is encoded; its JSON text is then
# replaced by the value's own (NUL characters: not in any text a customer can send).
_PLACE = "\x00encoded\x00"
_PLACE_JSON = ujson.dumps(_PLACE)


class Encoded(list):  # type: ignore[type-arg]
    """A list and its JSON text (the caller vouches that they agree)."""

    def __init__(self, items: list[Any], text: str) -> None:
        super().__init__(items)
        self.json = text


def dumps_body(value: Any) -> str:
    """JSON text of ``value``, an ``Encoded`` value in it written as its own text."""
    if isinstance(value, dict):
        spliced = _spliced(value)
        if spliced is not None:
            return spliced
    return dumps(value)


def dumps(value: Any) -> str:
    """JSON text of ``value``."""
    try:
        return str(ujson.dumps(value))
    except (OverflowError, TypeError, ValueError):
        return json.dumps(value)


def _spliced(value: dict[str, Any]) -> str | None:
    """``value`` encoded with its one ``Encoded`` value (at most a dict deep) written as
    its text; ``None`` when there is no such value, or more than one."""
    found: list[Encoded] = []
    outer = _placed(value, found)
    if len(found) != 1:
        return None
    text = dumps(outer)
    if text.count(_PLACE_JSON) != 1:
        return None
    return text.replace(_PLACE_JSON, found[0].json)


def _placed(value: dict[str, Any], found: list[Encoded], depth: int = 0) -> dict[str, Any]:
    """``value`` with each ``Encoded`` value (in it or a dict inside it) replaced."""
    changed: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, Encoded):
            found.append(item)
            changed[key] = _PLACE
        elif depth == 0 and isinstance(item, dict):
            inner = _placed(item, found, 1)
            if inner is not item:
                changed[key] = inner
    return {**value, **changed} if changed else value
