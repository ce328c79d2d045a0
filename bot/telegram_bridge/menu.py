"""The bot's command menu (``setMyCommands``) in Chinese and English, and ``/start``'s
deep-link parameters.

Telegram shows a user the menu in their app's language (``language_code``), else the
default one; the default is English, Chinese apps get Chinese. A link such as
``https://t.me/<bot>?start=bill`` opens the chat with ``/start bill``: the bridge
greets and then asks the bot what the parameter names, as if the user had typed the
SMS code.
"""

from __future__ import annotations

from telegram import Bot, BotCommand

COMMANDS = {
    "en": (
        ("start", "Start, and link your number"),
        ("help", "What I can do"),
        ("unlink", "Forget your number"),
    ),
    "zh": (("start", "开始，并绑定手机号"), ("help", "我能做什么"), ("unlink", "解除手机号绑定")),
}
# Deep-link parameter -> what the user "says" (the SMS codes the bot understands).
START_REQUESTS = {"balance": "YE", "data": "LL", "bill": "ZD", "plan": "TC", "help": "HELP"}


async def set_menu(bot: Bot) -> None:
    """The command menu: English by default, Chinese for Chinese apps."""
    for language, commands in COMMANDS.items():
        menu = [BotCommand(name, description) for name, description in commands]
        await bot.set_my_commands(menu, language_code=None if language == "en" else language)


def start_request(args: list[str] | None) -> str | None:
    """What a ``/start`` deep-link parameter asks for (None: a plain start)."""
    if not args:
        return None
    return START_REQUESTS.get(args[0].strip().lower())
