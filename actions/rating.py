"""The satisfaction rating asked for when an agent hands the conversation back."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import EventList, ServiceAction
from bot.handoff.stats import RATINGS

RATING_ENTITY = "rating"


class ActionStoreRating(ServiceAction):
    """Store the rating the customer picked (1 satisfied, 2 neutral, 3 unsatisfied)."""

    def name(self) -> str:
        return "action_store_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        rating = next(
            (
                str(e.get("value"))
                for e in (tracker.latest_message or {}).get("entities") or []
                if e.get("entity") == RATING_ENTITY
            ),
            None,
        )
        if rating is None or rating not in RATINGS.values():
            dispatcher.utter_message(response="utter_menu")
            return []
        await self.services.stats.rate(tracker.sender_id, rating)
        dispatcher.utter_message(response="utter_thanks_for_rating")
        return []
