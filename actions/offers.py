"""Plan offers: the notice scheduler found a plan that saves the customer money.

The scheduler triggers ``EXTERNAL_notice_offer`` with the plan's code, the saving a month
and the months it is based on (``bot.notices.offers``); ``action_offer_plan`` says it with
the plan's name and fee in the customer's language and two buttons (1 yes, 2 no on SMS).
A yes (the digit, the button or words) is recorded and followed by the usual plan-change
proposal with its quote (``action_propose_plan_change``, which takes the offered plan
from ``recommended_plan``) and confirmation; a no is recorded and the plan stays.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.base import EventList, ServiceAction, conversation_language, customer_number
from actions.notices import notice_entities
from bot.billing.port import BillingError
from bot.domain.formatting import fmt_money
from bot.domain.numbers import mask_msisdn
from bot.notices.offer_responses import ACCEPTED, DECLINED

logger = logging.getLogger(__name__)

OFFER_INTENT = "EXTERNAL_notice_offer"
PLAN_SLOT = "recommended_plan"  # action_propose_plan_change falls back to it


def offer_event(tracker: Tracker) -> dict[str, Any]:
    """The entities of the latest offer in the conversation, by name (empty: none)."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse_data = event.get("parse_data") or {}
        if (parse_data.get("intent") or {}).get("name") == OFFER_INTENT:
            entities = parse_data.get("entities") or []
            return {e.get("entity"): e.get("value") for e in entities if e.get("entity")}
    return {}


class ActionOfferPlan(ServiceAction):
    """Say the offer: plan, fee, saving a month and months; remember the plan for a yes."""

    def name(self) -> str:
        return "action_offer_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        found = notice_entities(tracker)
        try:
            plans = {p.code: p for p in await self.services.billing.list_plans()}
        except BillingError as exc:
            logger.warning("an offer not said, billing failed: %s", exc)
            return []
        plan = plans.get(str(found.get("notice_plan")))
        if plan is None:
            logger.error("an offer of a plan not on sale: %s", found.get("notice_plan"))
            return []
        dispatcher.utter_message(
            response="utter_notice_offer",
            plan=plan.name(conversation_language(tracker)),
            fee=fmt_money(plan.monthly_fee),
            saving=str(found.get("notice_saving") or ""),
            months=str(found.get("notice_months") or ""),
        )
        return [SlotSet(PLAN_SLOT, plan.code)]


class _AnswerOffer(ServiceAction):
    """Record the customer's answer to the latest offer (the first answer counts)."""

    response: str

    async def record(self, tracker: Tracker) -> dict[str, Any]:
        """The offer's entities, after recording the answer for the verified customer."""
        offer = offer_event(tracker)
        key = str(offer.get("notice_key") or "")
        try:
            msisdn = await customer_number(self.services, tracker)
            if msisdn and key:
                answers = self.services.offer_responses
                await answers.record(key, msisdn, self.response, tracker.sender_id)
                logger.info("offer %s by %s", self.response, mask_msisdn(msisdn))
        except SQLAlchemyError as exc:  # the answer still goes on; only the count misses it
            logger.warning("an offer's answer not recorded: %s", exc)
        return offer


class ActionAcceptOffer(_AnswerOffer):
    """A yes to the offer: recorded; the plan-change proposal follows (``data/rules.yml``)."""

    response = ACCEPTED

    def name(self) -> str:
        return "action_accept_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        offer = await self.record(tracker)
        plan = offer.get("notice_plan") or tracker.get_slot(PLAN_SLOT)
        return [SlotSet(PLAN_SLOT, plan)]


class ActionDeclineOffer(_AnswerOffer):
    """A no to the offer: recorded; the plan stays, and how to stop offers is said."""

    response = DECLINED

    def name(self) -> str:
        return "action_decline_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        await self.record(tracker)
        dispatcher.utter_message(response="utter_offer_declined")
        return [SlotSet(PLAN_SLOT, None)]
