"""The Telegram bridge's composition root (python-telegram-bot is imported by the bridge
process only)."""

from __future__ import annotations

from bot.state.schema import state_engine
from bot.telegram_bridge.deps import BridgeDeps
from bot.telegram_bridge.links import TelegramLinkStore
from bot.telegram_bridge.rasa_client import RasaBridgeClient
from bot.telegram_bridge.settings import TelegramSettings
from bot.telegram_bridge.texts import BridgeTexts


def telegram_services(settings: TelegramSettings) -> BridgeDeps:
    """The bridge's links (in the state database), Rasa client and texts."""
    return BridgeDeps(
        links=TelegramLinkStore(state_engine(settings.database_url)),
        rasa=RasaBridgeClient(settings.rasa_url, settings.bridge_secret),
        texts=BridgeTexts.load(settings.domain_path),
    )
