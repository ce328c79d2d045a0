"""Proactive notices: the text of a notice the scheduler triggered (``bot.notices``).

The scheduler triggers ``EXTERNAL_notice_*`` in the customer's conversation with the
notice's figures as entities (``bot.notices.sender``); ``language`` among them fills the
slot, so the response is rendered in the customer's language. The rules of
``data/rules.yml`` then listen, so a reply ("1" after the data-pack offer, "为什么扣这么多"
after the bill) is understood in context. A data notice may say two more things, each
rendered from its own response into the notice's text (one message, so the Traditional
conversion at output covers it): the packs bought this cycle, and why the use is unusual
with what to do about it.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import EventList
from bot.domain.language import reply_language
from bot.domain.responses import render
from bot.notices.due import MONTHS_FIGURE, PACK_GB_FIGURE, PACKS_FIGURE, UNUSUAL_FIGURE

logger = logging.getLogger(__name__)

RESPONSES = {
    "low_balance": "utter_notice_low_balance",
    "arrears": "utter_notice_arrears",
    "data_unusual": "utter_notice_data_unusual",
    "data_warn": "utter_notice_data_warn",
    "data_full": "utter_notice_data_full",
    "bill": "utter_notice_bill",
}
FIGURES = ("notice_amount", "notice_limit", "notice_percent", "notice_month")


def notice_entities(tracker: Tracker) -> dict[str, Any]:
    """The entities of the triggered notice (the latest user event), by name."""
    entities = (tracker.latest_message or {}).get("entities") or []
    return {e.get("entity"): e.get("value") for e in entities if e.get("entity")}


def notice_language(tracker: Tracker, found: dict[str, Any]) -> str:
    """The notice's language: its ``language`` entity, else the conversation's."""
    return reply_language(found.get("language"), tracker.get_slot("language"))


def data_parts(found: dict[str, Any], domain: DomainDict, language: str) -> dict[str, str]:
    """The optional sentences of a data notice (empty when its figures are not there)."""
    packs = advice = ""
    if found.get(PACKS_FIGURE):
        count, data = found[PACKS_FIGURE], found.get(PACK_GB_FIGURE) or ""
        packs = render(domain, "utter_notice_part_packs", language, count=count, data=data)
    if found.get(UNUSUAL_FIGURE):
        ratio, months = found[UNUSUAL_FIGURE], found.get(MONTHS_FIGURE) or ""
        advice = render(domain, "utter_notice_part_unusual", language, ratio=ratio, months=months)
    return {"notice_packs_part": packs, "notice_unusual_part": advice}


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
        parts = data_parts(found, domain, notice_language(tracker, found))
        dispatcher.utter_message(response=response, **figures, **parts)
        return []
