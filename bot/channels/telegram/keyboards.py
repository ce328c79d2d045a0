"""Telegram keyboards: the bot's buttons and the share-my-number button."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.channels.telegram.protocol import Button

CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for callback_data
ROW_LENGTH = 2
T = TypeVar("T")


def _rows(items: Sequence[T]) -> list[list[T]]:
    return [list(items[i : i + ROW_LENGTH]) for i in range(0, len(items), ROW_LENGTH)]


def fits_callback_data(payload: str) -> bool:
    """Whether ``payload`` can travel as an inline button's callback data."""
    return 0 < len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT


def buttons_markup(
    buttons: Sequence[Button],
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | None:
    """Inline buttons whose press sends the payload back; reply-keyboard buttons otherwise.

    A reply-keyboard button sends its label as text, so it shows the payload
    (the bot's plain-text payloads read as text); this is only for payloads
    over Telegram's 64-byte callback-data limit.
    """
    if not buttons:
        return None
    if all(fits_callback_data(b.payload) for b in buttons):
        inline = [InlineKeyboardButton(b.title, callback_data=b.payload) for b in buttons]
        return InlineKeyboardMarkup(_rows(inline))
    keys = [KeyboardButton(b.title if b.payload.startswith("/") else b.payload) for b in buttons]
    return ReplyKeyboardMarkup(_rows(keys), resize_keyboard=True, one_time_keyboard=True)


def contact_keyboard(label: str) -> ReplyKeyboardMarkup:
    """One button that shares the user's own phone number."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(label, request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
