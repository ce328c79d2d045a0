"""Sales and services the assistant cannot do (broadband, SIM, porting, roaming, top-up):
a short answer of where and how, then the offer of a person (never the complaint form)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import EventList
from bot.domain.sales import sales_topic

SALES_ACTION = "action_sales_info"


class ActionSalesInfo(Action):
    """Where and how to get what was asked for, and a person if the customer wants one."""

    def name(self) -> str:
        return SALES_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        text = str((tracker.latest_message or {}).get("text") or "")
        dispatcher.utter_message(response=f"utter_sales_{sales_topic(text)}")
        dispatcher.utter_message(response="utter_sales_offer_person")
        return []
