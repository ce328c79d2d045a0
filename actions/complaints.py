"""Journey 6: complaint form, confirmation, ticket, escalation and status look-up."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, conversation_language, customer_number
from actions.complaint_categories import category_from_text
from actions.complaint_details import describes_problem, location_in
from actions.digressions import (
    informational,
    leaves_form,
    leaves_free_text,
    leaves_place,
    misfits,
)
from actions.handoff import queue_handoff, reply_channel
from bot.billing.port import (
    BillingError,
    ComplaintCategory,
    Customer,
    Ticket,
    TicketNotFound,
    TicketStatus,
)
from bot.domain.responses import render
from bot.handoff.queue import Handoff, HandoffReason
from bot.state.ticket_origins import TicketOrigin  # ticket work
from bot.wiring import Services, default_services

logger = logging.getLogger(__name__)

MISFITS_SLOT = "complaint_misfits"
FORM_SLOTS = ("complaint_category", "complaint_description", "complaint_location", MISFITS_SLOT)
MAX_DESCRIPTION = 500
# Not \b: Chinese characters count as word characters ("查询TK2611280001").
TICKET_ID = re.compile(r"(?<![A-Za-z0-9])TK\d{10}(?!\d)", re.IGNORECASE)


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
        services = self._services or default_services()
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


def category_name(category: str, domain: DomainDict, language: str) -> str:
    """The category as the customer reads it."""
    return render(domain, f"utter_category_{category}", language)


class ActionAskComplaintConfirmation(AccountAction):
    """Read the complaint back and ask the customer to confirm it."""

    def name(self) -> str:
        return "action_ask_complaint_confirmation"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        if not tracker.get_slot("complaint_description"):
            dispatcher.utter_message(response="utter_complaint_cancelled")
            return _clear_form()
        language = conversation_language(tracker)
        category = tracker.get_slot("complaint_category") or ComplaintCategory.OTHER.value
        location = tracker.get_slot("complaint_location")
        location_part = (
            render(domain, "utter_complaint_location_part", language, location=location)
            if location
            else ""
        )
        dispatcher.utter_message(
            response="utter_confirm_complaint",
            category=category_name(category, domain, language),
            description=tracker.get_slot("complaint_description") or "",
            location=location_part,
        )
        return []


class ActionFileComplaint(AccountAction):
    """Create the ticket; a repeat complaint of the same category goes straight to a person."""

    def name(self) -> str:
        return "action_file_complaint"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        category_value = tracker.get_slot("complaint_category")
        description = tracker.get_slot("complaint_description")
        if not category_value or not description:
            dispatcher.utter_message(response="utter_nothing_to_confirm")
            return _clear_form()
        category = ComplaintCategory(category_value)
        billing = self.services.billing
        open_same = [
            t
            for t in await billing.tickets(customer.msisdn, open_only=True)
            if t.category == category
        ]
        ticket = await billing.create_ticket(
            customer.msisdn,
            category,
            description,
            tracker.get_slot("complaint_location"),
            escalated=bool(open_same),
        )
        await self._record_origin(tracker, ticket)  # ticket work
        case = await self._escalate(customer, tracker, ticket) if ticket.escalated else None
        if case is None:  # not escalated, or no agent can take it up here
            dispatcher.utter_message(response="utter_complaint_filed", ticket_id=ticket.ticket_id)
            return _clear_form()
        dispatcher.utter_message(
            response="utter_complaint_filed_urgent", ticket_id=ticket.ticket_id
        )
        return [*_clear_form(), ConversationPaused()]

    async def _record_origin(self, tracker: Tracker, ticket: Ticket) -> None:
        """Ticket work: remember where to tell the customer about the ticket (the agents'
        status changes); without it they are told by SMS."""
        channel = reply_channel(tracker)
        if channel is None:
            return
        origin = TicketOrigin(
            ticket.ticket_id, tracker.sender_id, channel, conversation_language(tracker)
        )
        try:
            await self.services.ticket_origins.record(origin)
        except Exception:
            logger.exception("could not record where %s was filed", ticket.ticket_id)

    async def _escalate(
        self, customer: Customer, tracker: Tracker, ticket: Ticket
    ) -> Handoff | None:
        """Hand the conversation to a person; None if no case could be queued."""
        try:
            return await queue_handoff(
                self.services,
                tracker,
                customer.msisdn,
                HandoffReason.COMPLAINT_ESCALATION,
                detail=ticket.ticket_id,
            )
        except Exception:
            logger.exception("could not queue the escalation of %s", ticket.ticket_id)
            return None


class ActionCancelComplaint(Action):
    """Forget the complaint being collected."""

    def name(self) -> str:
        return "action_cancel_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        dispatcher.utter_message(response="utter_complaint_cancelled")
        return _clear_form()


class ActionComplaintStatus(AccountAction):
    """Status of the quoted ticket, or of the customer's latest ones."""

    def name(self) -> str:
        return "action_complaint_status"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        billing = self.services.billing
        text = (tracker.latest_message or {}).get("text") or ""
        quoted = TICKET_ID.search(text)
        if quoted:
            ticket_id = quoted.group(0).upper()
            try:
                tickets = [await billing.get_ticket(customer.msisdn, ticket_id)]
            except TicketNotFound:
                dispatcher.utter_message(response="utter_complaint_not_found", ticket_id=ticket_id)
                return []
        else:
            tickets = (await billing.tickets(customer.msisdn))[:3]
        if not tickets:
            dispatcher.utter_message(response="utter_complaint_none")
            return []
        language = conversation_language(tracker)
        for ticket in tickets:
            _utter_status(ticket, dispatcher, domain, language)
        return []


def _utter_status(
    ticket: Ticket, dispatcher: CollectingDispatcher, domain: DomainDict, language: str
) -> None:
    status = TicketStatus(ticket.status).value
    dispatcher.utter_message(
        response="utter_complaint_status",
        ticket_id=ticket.ticket_id,
        category=category_name(ticket.category.value, domain, language),
        created=ticket.created_at.strftime("%Y-%m-%d %H:%M"),
        status=render(domain, f"utter_ticket_status_{status}", language),
    )
    update = ticket.latest_update  # ticket work: what the agent last said
    if update is not None and update.text:
        dispatcher.utter_message(
            response="utter_complaint_latest_update",
            time=update.at.strftime("%Y-%m-%d %H:%M"),
            text=update.text,
        )


def _clear_form() -> EventList:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]
