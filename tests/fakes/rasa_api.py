"""``FakeRasaAdmin``: Rasa's HTTP API as the console's desk uses it, in memory."""

from __future__ import annotations

from typing import Any


class FakeRasaAdmin:
    """Rasa's HTTP API in memory: events per conversation, deliveries recorded."""

    def __init__(self) -> None:
        self.conversations: dict[str, list[dict[str, Any]]] = {}
        self.delivered: list[tuple[str, dict[str, Any]]] = []
        self.delivered_on: list[str] = []  # the output channel of each delivered event

    async def events(self, conversation_id: str) -> list[dict[str, Any]]:
        return list(self.conversations.get(conversation_id, []))

    async def append(
        self, conversation_id: str, events: list[dict[str, Any]], channel: str | None = None
    ) -> None:
        self.conversations.setdefault(conversation_id, []).extend(events)
        if channel:
            bot = [e for e in events if e.get("event") == "bot"]
            self.delivered += [(conversation_id, e) for e in bot]
            self.delivered_on += [channel] * len(bot)
