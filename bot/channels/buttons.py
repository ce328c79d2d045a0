"""Buttons on text-only channels: numbered options, answered with a digit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def render_buttons(text: str, buttons: list[dict[str, Any]] | None) -> str:
    """Append the buttons as numbered options ("1. Confirm")."""
    if not buttons:
        return text
    options = "\n".join(f"{i}. {b.get('title', '')}" for i, b in enumerate(buttons, start=1))
    return f"{text}\n{options}" if text else options


def button_reply(text: str, buttons: list[dict[str, Any]] | None) -> str | None:
    """The payload of the option a bare digit picks, or None."""
    choice = text.strip().rstrip(".")
    if not buttons or not choice.isdigit():
        return None
    index = int(choice)
    if 1 <= index <= len(buttons):
        payload = buttons[index - 1].get("payload")
        return str(payload) if payload else None
    return None


def last_buttons(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """Buttons of the bot's last message since the customer last wrote."""
    buttons = None
    for event in events:
        kind = event.get("event")
        if kind == "user":
            buttons = None
        elif kind == "bot":
            buttons = (event.get("data") or {}).get("buttons") or buttons
    return buttons
