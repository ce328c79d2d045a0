"""Session start: begin in the customer's profile language."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ConversationPaused,
    EventType,
    SessionStarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ServiceAction
from actions.identity import SESSION_METADATA_SLOT, session_msisdn
from bot.billing.port import BillingError
from bot.domain.ids import TELEGRAM, is_telegram

logger = logging.getLogger(__name__)

CARRIED_SLOTS = ("language", "session_started_metadata")


class ActionSessionStart(ServiceAction):
    """Start a session in the conversation's or the profile's language.

    Only the language and the session metadata carry over: a half-filled form
    or an unconfirmed plan change never survives a session's end.
    """

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        events.extend(
            SlotSet(key, tracker.get_slot(key))
            for key in CARRIED_SLOTS
            if tracker.get_slot(key) is not None
        )
        if tracker.get_slot("language") is None:
            language = await self._profile_language(tracker)
            if language:
                events.append(SlotSet("language", language))
        if await self._waiting_for_an_agent(tracker):
            # A new session would silently un-pause a handed-over conversation.
            events.append(ConversationPaused())
        events.append(ActionExecuted("action_listen"))
        await self._record(tracker)
        return events

    async def _waiting_for_an_agent(self, tracker: Tracker) -> bool:
        try:
            return await self.services.handoff.open_case(tracker.sender_id) is not None
        except Exception:
            logger.exception("could not look up the handoff queue; starting unpaused")
            return False

    async def _record(self, tracker: Tracker) -> None:
        metadata = tracker.get_slot(SESSION_METADATA_SLOT) or {}
        channel = metadata.get("channel") if isinstance(metadata, dict) else None
        if is_telegram(tracker.sender_id):
            channel = TELEGRAM
        try:
            await self.services.stats.session_started(tracker.sender_id, channel or "rest")
        except Exception:
            logger.exception("could not record the session")

    async def _profile_language(self, tracker: Tracker) -> str | None:
        msisdn = session_msisdn(tracker)
        if msisdn is None:
            return None
        try:
            return (await self.services.billing.get_customer(msisdn)).language
        except BillingError:
            return None
