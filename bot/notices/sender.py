"""Puts a notice into the customer's conversation through Rasa's external-event API.

``POST /conversations/{id}/trigger_intent?output_channel=<channel>`` with the notice's
intent and its figures as entities (``notice_key`` among them): Rasa runs the rules of
``data/rules.yml`` (``action_send_notice`` writes the text), sends the replies through
the channel's push output, and keeps the event in the tracker, so the customer's reply
is understood in context and a scheduler that lost track can find the notice there.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.domain.language import reply_language
from bot.notices.due import Notice
from bot.notices.routes import Route

KEY_ENTITY = "notice_key"
FALLBACK_LANGUAGE = "notice_language"  # the customer's language in billing


class NoticeRasa(Protocol):
    """Rasa's HTTP API as the sender uses it (``bot.handoff.rasa_api.RasaAdminClient``)."""

    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's tracker with every event."""

    async def trigger_intent(
        self, conversation_id: str, intent: str, entities: dict[str, str], channel: str
    ) -> None:
        """Trigger ``intent``; the replies go out on ``channel``."""


def carries(event: dict[str, Any], key: str) -> bool:
    """Whether a tracker event is the external intent of the notice ``key``."""
    if event.get("event") != "user":
        return False
    entities = (event.get("parse_data") or {}).get("entities") or []
    return any(e.get("entity") == KEY_ENTITY and e.get("value") == key for e in entities)


class NoticeSender:
    """Checks the customer's conversation, then triggers the notice in it."""

    def __init__(self, rasa: NoticeRasa) -> None:
        self._rasa = rasa

    async def already_in(self, route: Route, notice: Notice) -> bool:
        """Whether the notice is in the conversation already (sent before a crash)."""
        tracker = await self._rasa.tracker(route.conversation_id)
        return any(carries(event, notice.key) for event in tracker.get("events") or [])

    async def send(self, route: Route, notice: Notice) -> None:
        """Trigger the notice in the customer's language (the conversation's, else billing's)."""
        tracker = await self._rasa.tracker(route.conversation_id)
        conversation = (tracker.get("slots") or {}).get("language")
        language = reply_language(conversation, notice.figures.get(FALLBACK_LANGUAGE))
        entities = {
            **notice.figures,
            KEY_ENTITY: notice.key,
            "notice_event": notice.event,
            "language": language,
        }
        await self._rasa.trigger_intent(
            route.conversation_id, notice.intent, entities, route.channel
        )
