"""Journey 6, the form: category, the problem in the customer's words, and the place.

What the first message already says is not asked again (``complaint_details.py``); a
question in passing is left to the rules, never stored; an answer that does not fit is
asked again once, then a person is offered.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import customer_number
from actions.complaint_categories import category_from_text
from actions.complaint_details import describes_problem, location_in
from actions.digressions import (
    informational,
    leaves_form,
    leaves_free_text,
    leaves_place,
    misfits,
)
from bot.billing.port import BillingError, ComplaintCategory
from bot.services import Services, action_services

MISFITS_SLOT = "complaint_misfits"
FORM_SLOTS = ("complaint_category", "complaint_description", "complaint_location", MISFITS_SLOT)
MAX_DESCRIPTION = 500


class ValidateComplaintForm(FormValidationAction):
    """Category from buttons or keywords; location only for network problems.

    Nothing is asked of a number that is not a customer's: the form ends at
    once and the confirmation step explains why.
    """

    def __init__(self, services: Services | None = None) -> None:
        self._services = services

    def name(self) -> str:
        return "validate_complaint_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if not await self._is_customer(tracker):
            return []
        if tracker.get_slot("complaint_category") == ComplaintCategory.NETWORK.value:
            return list(domain_slots)
        return [slot for slot in domain_slots if slot != "complaint_location"]

    async def _is_customer(self, tracker: Tracker) -> bool:
        services = self._services or action_services()
        msisdn = await customer_number(services, tracker)
        if msisdn is None:
            return False
        try:
            await services.billing.get_customer(msisdn)
        except BillingError:
            return False
        return True

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """rasa-sdk keeps only the form's own slots; the count of answers that did not fit
        is kept too."""
        events: list[dict[str, Any]] = await super().get_validation_events(
            dispatcher, tracker, domain
        )
        misses = tracker.slots_to_validate().get(MISFITS_SLOT)
        if misses is not None:
            events.append(SlotSet(MISFITS_SLOT, misses))
        return events

    async def extract_complaint_category(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        requested = tracker.get_slot("requested_slot")
        if requested not in (None, "complaint_category") or tracker.get_slot("complaint_category"):
            return {}
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        if informational(intent):  # "how much is my bill?" is a question, not a category
            return {}
        category = category_from_text(message.get("text") or "")
        if category:
            return {"complaint_category": category.value}
        if requested == "complaint_category" and not leaves_form(intent):
            # Ask again with the options rather than let the form be rejected.
            dispatcher.utter_message(response="utter_complaint_category_invalid")
            return {"complaint_category": None}
        return {}

    async def extract_complaint_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The customer's words about the problem: the first message's when it already
        states it (and the place with it), else the answer to "describe the problem",
        unless it leaves, asks something in passing, or does not fit the question."""
        requested = tracker.get_slot("requested_slot")
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        text = str(message.get("text") or "").strip()
        if requested is None:
            return _said_up_front(tracker, intent, text)
        if requested != "complaint_description" or leaves_free_text(intent):
            return {}
        if misfits(intent, FREE_TEXT_FITS):
            return _misfit(dispatcher, tracker, "complaint_description")
        return {"complaint_description": text[:MAX_DESCRIPTION]} if text else {}

    async def extract_complaint_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The answer to "where?", unless it leaves, asks something in passing, or does not
        fit the question (a yes, a new request, more of the problem)."""
        if tracker.get_slot("requested_slot") != "complaint_location":
            return {}
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        if leaves_place(intent):
            return {}
        text = str(message.get("text") or "").strip()
        if not location_in(text) and misfits(intent, PLACE_FITS):
            return _misfit(dispatcher, tracker, "complaint_location")
        return {"complaint_location": text[:200]} if text else {}

    def validate_complaint_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        return {"complaint_description": text[:MAX_DESCRIPTION] if text else None}

    def validate_complaint_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        return {"complaint_location": text[:200] if text else None}


# What may answer "describe the problem" or "where?": a complaint, or words the
# classifier cannot place (a street name, a description of something odd).
FREE_TEXT_FITS = frozenset({"file_complaint", "out_of_scope", "nlu_fallback", "inform_number"})
# A place: a message naming one (``location_in``), or one the classifier cannot place; a
# complaint read with confidence ("又断线了") is more of the problem, not where.
PLACE_FITS = frozenset({"out_of_scope", "nlu_fallback", "inform_number"})


def _said_up_front(tracker: Tracker, intent: dict[str, Any], text: str) -> dict[str, Any]:
    """The problem, and the place, of a first message that states them."""
    if intent.get("name") != "file_complaint" or tracker.get_slot("complaint_description"):
        return {}
    if not describes_problem(text):
        return {}
    said: dict[str, Any] = {"complaint_description": text[:MAX_DESCRIPTION]}
    place = location_in(text)
    if place:
        said["complaint_location"] = place[:200]
    return said


def _misfit(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> dict[str, Any]:
    """Say the answer does not fit, ask again (the form does); from the second, offer a
    person."""
    misses = int(tracker.get_slot(MISFITS_SLOT) or 0)
    if misses == 0:
        dispatcher.utter_message(response=f"utter_{slot}_misfit")
    else:
        dispatcher.utter_message(response="utter_complaint_offer_person")
    return {slot: None, MISFITS_SLOT: float(misses + 1)}
