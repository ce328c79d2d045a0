"""What the handlers share: the link store, the Rasa client and the texts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from telegram.ext import ContextTypes

from bot.telegram_bridge.links import TelegramLinkStore
from bot.telegram_bridge.rasa_client import RasaBridgeClient
from bot.telegram_bridge.texts import BridgeTexts

DEPS_KEY = "bridge"


@dataclass(frozen=True)
class BridgeDeps:
    """The bridge's collaborators, kept in ``application.bot_data``."""

    links: TelegramLinkStore
    rasa: RasaBridgeClient
    texts: BridgeTexts


def deps(context: ContextTypes.DEFAULT_TYPE) -> BridgeDeps:
    """The collaborators the application was built with."""
    return cast(BridgeDeps, context.bot_data[DEPS_KEY])
