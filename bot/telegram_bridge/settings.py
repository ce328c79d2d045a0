"""Settings of the Telegram bridge: the shared ones from ``bot.config``, the bridge's own
(mode, webhook, domain file) from the environment."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bot.config import Settings, load_settings

POLLING = "polling"
WEBHOOK = "webhook"
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass(frozen=True)
class TelegramSettings:
    """How the bridge reaches Telegram and Rasa."""

    token: str
    api_base_url: str
    mode: str
    webhook_url: str | None
    webhook_secret: str | None
    webhook_listen: str
    webhook_port: int
    rasa_url: str
    bridge_secret: str
    database_url: str
    domain_path: Path

    @property
    def webhook_path(self) -> str:
        """The local path the webhook listens on: the public URL's path."""
        return urlparse(self.webhook_url or "").path.strip("/")


def load_telegram_settings(shared: Settings | None = None) -> TelegramSettings:
    """Read and check the settings; a missing or invalid one raises ``ValueError``.

    ``shared``: the settings every process reads (default: ``load_settings()``).
    """
    shared = shared or load_settings()
    env = os.environ
    token = shared.telegram_bot_token
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set (the token @BotFather gave the bot)")
    secret = shared.telegram_bridge_secret
    if not secret:
        raise ValueError("TELEGRAM_BRIDGE_SECRET is not set: the bridge could not sign requests")
    mode = env.get("TELEGRAM_MODE", POLLING).strip().lower() or POLLING
    if mode not in (POLLING, WEBHOOK):
        raise ValueError(f"TELEGRAM_MODE must be {POLLING} or {WEBHOOK}, not {mode!r}")
    webhook_url = env.get("TELEGRAM_WEBHOOK_URL") or None
    webhook_secret = env.get("TELEGRAM_WEBHOOK_SECRET") or None
    if mode == WEBHOOK:
        if not webhook_url or not webhook_url.startswith("https://"):
            raise ValueError("TELEGRAM_WEBHOOK_URL must be the bot's public https:// URL")
        if not webhook_secret or not _SECRET_TOKEN.fullmatch(webhook_secret):
            raise ValueError(
                "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
            )
    return TelegramSettings(
        token=token,
        api_base_url=shared.telegram_api_base_url,
        mode=mode,
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        webhook_listen=env.get("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"),
        webhook_port=int(env.get("TELEGRAM_WEBHOOK_PORT", "8443")),
        rasa_url=shared.rasa_url,
        bridge_secret=secret,
        database_url=shared.state_database_url,
        domain_path=Path(env.get("TELEGRAM_DOMAIN_PATH", "domain")),
    )
