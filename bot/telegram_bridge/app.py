"""Build and run the bridge: a python-telegram-bot ``Application`` by polling or webhook."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.telegram_bridge import handlers
from bot.telegram_bridge.deps import DEPS_KEY, BridgeDeps
from bot.telegram_bridge.menu import set_menu
from bot.telegram_bridge.ordering import PerChatOrder
from bot.telegram_bridge.settings import WEBHOOK, TelegramSettings
from bot.telegram_bridge.wiring import telegram_services

logger = logging.getLogger(__name__)
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
_PRIVATE_MESSAGES = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


def build_application(settings: TelegramSettings, bridge: BridgeDeps) -> Application:
    """The application with every handler; ``bridge`` is what the handlers use."""
    application = (
        Application.builder()
        .token(settings.token)
        .base_url(settings.api_base_url)
        .concurrent_updates(PerChatOrder())  # chats at once, each chat in order
        .post_init(_menu)
        .post_shutdown(_close)
        .build()
    )
    application.bot_data[DEPS_KEY] = bridge
    for name, callback in (
        ("start", handlers.start),
        ("help", handlers.help_command),
        ("unlink", handlers.unlink),
    ):
        application.add_handler(CommandHandler(name, callback, filters=_PRIVATE_MESSAGES))
    application.add_handler(MessageHandler(_PRIVATE_MESSAGES & filters.CONTACT, handlers.contact))
    application.add_handler(MessageHandler(_PRIVATE_MESSAGES & filters.TEXT, handlers.text_message))
    application.add_handler(CallbackQueryHandler(handlers.button_press))
    application.add_error_handler(handlers.on_error)
    return application


async def _menu(application: Application) -> None:
    """The command menu in Chinese and English; a failure is logged, the bridge runs on."""
    try:
        await set_menu(application.bot)
    except TelegramError as exc:
        logger.warning("telegram bridge: the command menu was not set: %s", exc)


async def _close(application: Application) -> None:
    await application.bot_data[DEPS_KEY].rasa.aclose()


def run(settings: TelegramSettings) -> None:
    """Run the bridge until SIGINT/SIGTERM (blocks)."""
    application = build_application(settings, telegram_services(settings))
    logger.info("telegram bridge: %s mode, Rasa at %s", settings.mode, settings.rasa_url)
    if settings.mode == WEBHOOK:
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_path,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
