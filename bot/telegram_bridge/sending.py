"""Sending to a chat: HTML-escaped text, split under Telegram's limit, buttons on the last part."""

from __future__ import annotations

from telegram import Chat, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram.constants import ParseMode

from bot.channels.telegram.formatting import html_cost, split_message, to_html
from bot.channels.telegram.keyboards import buttons_markup
from bot.channels.telegram.protocol import BotReply

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


async def send_text(chat: Chat, text: str, markup: Markup | None = None) -> None:
    """Send ``text`` as one or more HTML messages; ``markup`` goes with the last one."""
    parts = split_message(text, cost=html_cost)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await chat.send_message(
            to_html(part),
            parse_mode=ParseMode.HTML,
            reply_markup=markup if last else None,
        )


async def send_reply(chat: Chat, reply: BotReply) -> None:
    """Send one bot message from Rasa, its buttons as a keyboard."""
    if reply.text.strip():
        await send_text(chat, reply.text, buttons_markup(reply.buttons))
