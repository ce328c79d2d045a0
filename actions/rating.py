"""The satisfaction rating asked for when an agent hands the conversation back."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import EventList, ServiceAction
from bot.domain.numbers import mask_numbers
from bot.domain.ratings import rating_from_text
from bot.handoff.stats import RATINGS

logger = logging.getLogger(__name__)

RATING_ENTITY = "rating"


def picked_rating(tracker: Tracker) -> str | None:
    """The rating the latest message carries: a button's, or one said in words
    ("非常满意", "4 out of 5"); None unless it is one of ``RATINGS``."""
    message = tracker.latest_message or {}
    rating = next(
        (
            str(e.get("value"))
            for e in message.get("entities") or []
            if e.get("entity") == RATING_ENTITY
        ),
        None,
    ) or rating_from_text(message.get("text"))
    return rating if rating in RATINGS.values() else None


class ActionStoreRating(ServiceAction):
    """Store the rating the customer picked (1 satisfied, 2 neutral, 3 unsatisfied) or wrote.

    Only for the case an agent resolved in this conversation lately, once per case:
    a conversation without such a case (or a forged tracker) stores nothing.
    """

    def name(self) -> str:
        return "action_store_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        rating = picked_rating(tracker)
        if rating is None:
            dispatcher.utter_message(response="utter_menu")
            return []
        conversation = mask_numbers(tracker.sender_id[:128])
        try:
            case = await self.services.handoff.last_resolved(tracker.sender_id)
            if case is None:
                logger.warning("rating ignored: %s has no case to rate", conversation)
                dispatcher.utter_message(response="utter_menu")
                return []
            if not await self.services.stats.rate(tracker.sender_id, rating, handoff_id=case.id):
                logger.info("rating ignored: case %s of %s is rated", case.id, conversation)
        except Exception:
            logger.exception("could not store the rating of %s", conversation)
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        dispatcher.utter_message(response="utter_thanks_for_rating")
        return []
