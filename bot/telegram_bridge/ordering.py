"""Updates of different chats handled at once, one chat's in the order they came.

python-telegram-bot handles one update at a time unless given an update processor; a
slow answer for one customer would then hold up every other. ``PerChatOrder`` lets up
to ``max_concurrent_updates`` run at once while a chat's updates wait for each other
(an ``asyncio.Lock`` per chat serves its waiters first come, first served), so a
customer's second message is never answered before the first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_AT_ONCE = 32


def chat_of(update: object) -> int | None:
    """The chat an update belongs to (None for one with no chat)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerChatOrder(BaseUpdateProcessor):
    """Concurrent across chats, in order within one."""

    def __init__(self, max_concurrent_updates: int = MAX_AT_ONCE) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = chat_of(update)
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat, asyncio.Lock())
        self._users[chat] = self._users.get(chat, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[chat] -= 1
            if not self._users[chat]:  # nobody waits: forget the chat's lock
                del self._users[chat], self._locks[chat]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
