"""The bridge's update processor and menu: chats at once, one chat in order; the menu in
two languages; deep-link parameters."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Chat, Message, Update, User

from bot.telegram_bridge.menu import COMMANDS, set_menu, start_request
from bot.telegram_bridge.ordering import PerChatOrder, chat_of

USER = User(1, "Ann", False)


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    message = Message(update_id, None, chat, from_user=USER, text="hi")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_chats_run_at_once_and_a_chats_updates_in_order() -> None:
    processor = PerChatOrder(8)
    log: list[str] = []

    async def handle(name: str, pause: float) -> None:
        log.append(f"start {name}")
        await asyncio.sleep(pause)
        log.append(f"end {name}")

    async with processor:
        await asyncio.gather(
            processor.process_update(update(1, 10), handle("a1", 0.05)),  # slow
            processor.process_update(update(2, 10), handle("a2", 0.0)),
            processor.process_update(update(3, 20), handle("b1", 0.0)),
        )
    assert log.index("end b1") < log.index("end a1")  # another chat did not wait
    assert log.index("end a1") < log.index("start a2")  # the same chat did, in order
    assert processor._locks == {}  # nothing kept once nobody waits


def test_an_update_without_a_chat_has_none() -> None:
    assert chat_of(Update(5)) is None and chat_of(update(6, 30)) == 30


class RecordingBot:
    def __init__(self) -> None:
        self.menus: list[tuple[list[str], str | None]] = []

    async def set_my_commands(self, commands: Any, language_code: str | None = None) -> bool:
        self.menus.append(([c.command for c in commands], language_code))
        return True


async def test_the_menu_in_english_by_default_and_chinese_for_chinese_apps() -> None:
    bot = RecordingBot()
    await set_menu(bot)  # type: ignore[arg-type]
    names = [name for name, _ in COMMANDS["en"]]
    assert bot.menus == [(names, None), (names, "zh")]


def test_deep_link_parameters_ask_by_sms_code_and_others_are_a_plain_start() -> None:
    assert start_request(["bill"]) == "ZD" and start_request(["BALANCE"]) == "YE"
    assert start_request(["/restart"]) is None and start_request([]) is None
    assert start_request(None) is None
