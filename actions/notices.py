"""Proactive notices: the text of a notice the scheduler triggered (``bot.notices``).

The scheduler triggers ``EXTERNAL_notice_*`` in the customer's conversation with the
notice's figures as entities (``bot.notices.sender``); ``language`` among them fills the
slot, so the response is rendered in the customer's language. The rules of
``data/rules.yml`` then listen, so a reply ("1" after the data-pack offer, "为什么扣这么多"
after the bill) is understood in context.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import EventList

logger = logging.getLogger(__name__)

RESPONSES = {
    "low_balance": "utter_notice_low_balance",
    "arrears": "utter_notice_arrears",
    "data_warn": "utter_notice_data_warn",
    "data_full": "utter_notice_data_full",
    "bill": "utter_notice_bill",
}
FIGURES = ("notice_amount", "notice_limit", "notice_percent", "notice_month")


def notice_entities(tracker: Tracker) -> dict[str, Any]:
    """The entities of the triggered notice (the latest user event), by name."""
    entities = (tracker.latest_message or {}).get("entities") or []
    return {e.get("entity"): e.get("value") for e in entities if e.get("entity")}


class ActionSendNotice(Action):
    """Says the notice: the response of its event, filled with its figures."""

    def name(self) -> str:
        return "action_send_notice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        found = notice_entities(tracker)
        response = RESPONSES.get(str(found.get("notice_event")))
        if response is None:
            logger.error("a notice without a known event: %s", found.get("notice_event"))
            return []
        figures = {name: str(found.get(name) or "") for name in FIGURES}
        dispatcher.utter_message(response=response, **figures)
        return []
