"""Journey 6: the complaint's confirmation, ticket, escalation and status look-up (the form
that collects it: ``actions/complaint_form.py``)."""

from __future__ import annotations

import logging
import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, conversation_language
from actions.complaint_form import FORM_SLOTS
from actions.handoff import queue_handoff, reply_channel
from bot.billing.port import (
    ComplaintCategory,
    Customer,
    Ticket,
    TicketNotFound,
    TicketStatus,
)
from bot.domain.responses import render
from bot.handoff.queue import Handoff, HandoffReason
from bot.services import Services
from bot.state.ticket_origins import TicketOrigin

logger = logging.getLogger(__name__)

# Not \b: Chinese characters count as word characters ("查询TK2611280001").
TICKET_ID = re.compile(r"(?<![A-Za-z0-9])TK\d{10}(?!\d)", re.IGNORECASE)


def category_name(category: str, domain: DomainDict, language: str) -> str:
    """The category as the customer reads it."""
    return render(domain, f"utter_category_{category}", language)


async def record_origin(services: Services, tracker: Tracker, ticket: Ticket) -> None:
    """Ticket work: remember where to tell the customer about the ticket (the agents'
    status changes); without it they are told by SMS."""
    channel = reply_channel(tracker)
    if channel is None:
        return
    origin = TicketOrigin(
        ticket.ticket_id, tracker.sender_id, channel, conversation_language(tracker)
    )
    try:
        await services.ticket_origins.record(origin)
    except Exception:
        logger.exception("could not record where %s was filed", ticket.ticket_id)


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
        await self._record_origin(tracker, ticket)
        case = await self._escalate(customer, tracker, ticket) if ticket.escalated else None
        if case is None:  # not escalated, or no agent can take it up here
            dispatcher.utter_message(response="utter_complaint_filed", ticket_id=ticket.ticket_id)
            return _clear_form()
        dispatcher.utter_message(
            response="utter_complaint_filed_urgent", ticket_id=ticket.ticket_id
        )
        return [*_clear_form(), ConversationPaused()]

    async def _record_origin(self, tracker: Tracker, ticket: Ticket) -> None:
        await record_origin(self.services, tracker, ticket)

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
    update = ticket.latest_update  # what the agent last said
    if update is not None and update.text:
        dispatcher.utter_message(
            response="utter_complaint_latest_update",
            time=update.at.strftime("%Y-%m-%d %H:%M"),
            text=update.text,
        )


def _clear_form() -> EventList:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]
