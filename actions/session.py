"""Session start: begin in the customer's profile language."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ServiceAction
from actions.identity import session_msisdn
from bot.billing.port import BillingError

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
        events.append(ActionExecuted("action_listen"))
        return events

    async def _profile_language(self, tracker: Tracker) -> str | None:
        msisdn = session_msisdn(tracker)
        if msisdn is None:
            return None
        try:
            return (await self.services.billing.get_customer(msisdn)).language
        except BillingError:
            return None
