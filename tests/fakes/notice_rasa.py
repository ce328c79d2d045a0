"""``FakeNoticeRasa``: Rasa's external-event API as the notice sender calls it, in memory;
``build_scheduler``: the notice scheduler wired with it and the fake billing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from bot.billing.port import BillingService
from bot.handoff.rasa_api import RasaApiError
from bot.notices.preferences import NoticePreferences
from bot.notices.routes import NoticeRoutes
from bot.notices.scheduler import NoticeScheduler
from bot.notices.sender import NoticeSender
from bot.notices.settings import NoticeSettings
from bot.notices.store import NoticeStore
from tests.fakes.billing import FakeBillingService


@dataclass(frozen=True)
class Triggered:
    """One ``trigger_intent`` call that Rasa ran."""

    conversation_id: str
    intent: str
    entities: dict[str, str]
    channel: str


class FakeNoticeRasa:
    """Trackers per conversation; ``down`` refuses every call; ``lose_answers`` runs the
    intent but fails the call (the answer lost on the way back)."""

    def __init__(self) -> None:
        self.slots: dict[str, dict[str, Any]] = {}
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.triggered: list[Triggered] = []
        self.down = False
        self.lose_answers = False

    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        if self.down:
            raise RasaApiError("Rasa unreachable: ConnectError")
        return {
            "sender_id": conversation_id,
            "slots": dict(self.slots.get(conversation_id, {})),
            "events": list(self.events.get(conversation_id, [])),
        }

    async def trigger_intent(
        self, conversation_id: str, intent: str, entities: dict[str, str], channel: str
    ) -> None:
        if self.down:
            raise RasaApiError("Rasa unreachable: ConnectError")
        self.triggered.append(Triggered(conversation_id, intent, dict(entities), channel))
        parse_data = {
            "intent": {"name": intent, "confidence": 1.0},
            "entities": [{"entity": k, "value": v} for k, v in entities.items()],
        }
        self.events.setdefault(conversation_id, []).append(
            {"event": "user", "text": f"EXTERNAL: {intent}", "parse_data": parse_data}
        )
        if self.lose_answers:
            raise RasaApiError("Rasa answered 502")


def build_scheduler(
    engine: Engine,
    rasa: FakeNoticeRasa,
    clock: Callable[[], dt.datetime],
    billing: BillingService | None = None,
    owner: str = "scheduler-a",
    **settings: Any,
) -> NoticeScheduler:
    """A scheduler on a (migrated) state database, the fake billing and the fake Rasa."""
    return NoticeScheduler(
        billing=billing or FakeBillingService(),
        store=NoticeStore(engine),
        routes=NoticeRoutes(engine),
        sender=NoticeSender(rasa),
        preferences=NoticePreferences(engine),
        settings=NoticeSettings(**settings),
        clock=clock,
        owner=owner,
    )
