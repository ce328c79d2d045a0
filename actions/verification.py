"""Verify a phone number with a one-time SMS code (web chat, Telegram without a link)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import EventList, conversation_language
from actions.digressions import leaves_form
from actions.identity import client_address, input_channel
from bot.billing.port import BillingError
from bot.domain.numbers import code_from_text, mask_msisdn, phone_from_text
from bot.domain.responses import render
from bot.services import Services, action_services
from bot.verification.service import Outcome

FORM_SLOTS = ("verification_phone", "verification_code")
# A refused code request: the conversation cooling down after wrong codes, or too many
# codes this hour (for the conversation, the client address, the number or overall);
# customers and strangers alike. Too many
# codes gets the cooling-down reply until the domain has a reply of its own.
WAIT_RESPONSES = {
    Outcome.COOLING_DOWN: "utter_verification_locked",
    Outcome.RATE_LIMITED: "utter_verification_too_many_codes",
}


class ValidatePhoneVerificationForm(FormValidationAction):
    """Number, then code; sends the SMS and checks the code as the slots are filled."""

    def __init__(self, services: Services | None = None) -> None:
        self._services = services

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = action_services()
        return self._services

    def name(self) -> str:
        return "validate_phone_verification_form"

    async def extract_verification_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _extract(
            tracker,
            dispatcher,
            "verification_phone",
            phone_from_text,
            "utter_verification_phone_invalid",
        )

    async def extract_verification_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "verification_code":
            return {}
        return _extract(
            tracker,
            dispatcher,
            "verification_code",
            code_from_text,
            "utter_verification_code_invalid",
        )

    async def validate_verification_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not value:  # asked again after an unreadable answer: nothing to check
            return {"verification_phone": None}
        msisdn = str(value)
        language = conversation_language(tracker)
        try:
            await self.services.billing.get_customer(msisdn)
            is_customer = True
        except BillingError:
            is_customer = False
        # The SMS goes out after this answer: a failed send says nothing about the number.
        result = await self.services.verification.start(
            tracker.sender_id,
            input_channel(tracker),
            msisdn,
            lambda code: render(domain, "utter_otp_sms", language, code=code),
            send=is_customer,
            client=client_address(tracker),
        )
        if result.outcome in WAIT_RESPONSES:
            dispatcher.utter_message(
                response=WAIT_RESPONSES[result.outcome], minutes=result.wait_minutes
            )
            return {"verification_phone": None, "requested_slot": None}
        # The same words whether or not the number is a customer's: nothing leaks.
        dispatcher.utter_message(
            response="utter_verification_code_sent", number=mask_msisdn(msisdn)
        )
        return {"verification_phone": msisdn}

    async def validate_verification_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not value:
            return {"verification_code": None}
        result = await self.services.verification.check(
            tracker.sender_id, input_channel(tracker), str(value)
        )
        if result.outcome == Outcome.VERIFIED:
            dispatcher.utter_message(
                response="utter_verified", number=mask_msisdn(result.msisdn or "")
            )
            return {"verification_code": "accepted"}
        if result.outcome == Outcome.WRONG:
            dispatcher.utter_message(response="utter_verification_wrong", tries=result.tries_left)
            return {"verification_code": None}
        if result.outcome == Outcome.LOCKED:
            dispatcher.utter_message(
                response="utter_verification_locked", minutes=result.wait_minutes
            )
        else:
            dispatcher.utter_message(response="utter_verification_expired")
        return {"verification_code": None, "requested_slot": None}


def _extract(
    tracker: Tracker,
    dispatcher: CollectingDispatcher,
    slot: str,
    parse: Any,
    invalid_response: str,
) -> dict[str, Any]:
    requested = tracker.get_slot("requested_slot")
    if requested not in (None, slot) or tracker.get_slot(slot):
        return {}
    message = tracker.latest_message or {}
    value = parse(message.get("text") or "")
    if value:
        return {slot: value}
    intent = (message.get("intent") or {}).get("name")
    if requested == slot and not leaves_form(intent):
        dispatcher.utter_message(response=invalid_response)
        return {slot: None}
    return {}


class ActionFinishVerification(Action):
    """Forget the form's slots (the verified number lives in the database)."""

    def name(self) -> str:
        return "action_finish_verification"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        return [SlotSet(slot, None) for slot in FORM_SLOTS]
