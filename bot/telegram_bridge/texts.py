"""The bridge's own texts (welcome, linking, help), rendered from the domain's responses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram import User

from bot.domain.files import load_domain
from bot.domain.language import reply_language
from bot.domain.responses import render

WELCOME = "utter_telegram_welcome"
SHARE_CONTACT_BUTTON = "utter_telegram_share_contact_button"
LINKED = "utter_telegram_linked"
CONTACT_REFUSED = "utter_telegram_contact_refused"
CONTACT_INVALID = "utter_telegram_contact_invalid"
UNLINKED = "utter_telegram_unlinked"
NOT_LINKED = "utter_telegram_not_linked"
HELP = "utter_telegram_help"
UNAVAILABLE = "utter_telegram_unavailable"
ALL = (
    WELCOME,
    SHARE_CONTACT_BUTTON,
    LINKED,
    CONTACT_REFUSED,
    CONTACT_INVALID,
    UNLINKED,
    NOT_LINKED,
    HELP,
    UNAVAILABLE,
)


def language_of(user: User | None) -> str:
    """The language of the user's Telegram app (``zh-hans`` is Chinese), else the fall-back."""
    code = (user.language_code if user else None) or ""
    return reply_language(code[:2].lower())


class BridgeTexts:
    """The domain's ``utter_telegram_*`` responses, loaded once."""

    def __init__(self, domain: dict[str, Any]) -> None:
        missing = [name for name in ALL if name not in domain.get("responses", {})]
        if missing:
            raise ValueError(f"domain has no responses {', '.join(missing)}")
        self._domain = domain

    @classmethod
    def load(cls, path: Path) -> BridgeTexts:
        """Read the domain (``domain/``, once, at start-up)."""
        return cls(load_domain(path))

    def render(self, name: str, language: str, /, **values: Any) -> str:
        """The text of response ``name`` in ``language``."""
        return render(self._domain, name, language, **values)
