"""The base of every action that needs the billing system."""

from __future__ import annotations

import abc
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.identity import SMS_CHANNEL, input_channel, verified_msisdn
from actions.unsure import ask_first, unsure_of
from bot.billing.port import BillingError, Customer, CustomerNotFound
from bot.domain.language import reply_language
from bot.domain.numbers import mask_msisdn, mask_numbers, phone_from_text
from bot.metrics import ACTION_ERRORS
from bot.services import Services, action_services
from bot.state.proposals import Proposal

logger = logging.getLogger(__name__)

EventList = list[dict[str, Any]]


def conversation_language(tracker: Tracker) -> str:
    """The language replies are in: the ``language`` slot (``reply_language``'s fall-back
    when unset)."""
    return reply_language(tracker.get_slot("language"))


async def customer_number(services: Services, tracker: Tracker) -> str | None:
    """The channel's verified sender, else a number verified by code in this conversation.

    SMS is its own identity; other channels (web chat, Telegram without a
    linked number) may have verified a number with a one-time code, which
    counts for the same conversation on the same channel only.
    """
    msisdn = verified_msisdn(tracker)
    channel = input_channel(tracker)
    if msisdn is not None or channel == SMS_CHANNEL:
        return msisdn
    return await services.verification.verified_number(tracker.sender_id, channel)


class ServiceAction(Action, abc.ABC):
    """An action that uses the injected services (by default the action server's bundle,
    read on first use: rasa-sdk makes actions before its start-up installs it)."""

    def __init__(
        self,
        services: Services | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._services = services
        self._today = today

    @abc.abstractmethod
    def name(self) -> str:
        """The action's name in the domain (abstract: keeps the executor off this base)."""

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = action_services()  # the action server's, built at start-up
        return self._services


class AccountAction(ServiceAction, abc.ABC):
    """An action for a verified customer: looks the account up and handles failures.

    Subclasses implement ``run_for`` and never see an unknown number or a
    billing failure: those get a polite reply in the customer's language. One that
    shows account data, or changes the account, for an intent names it in ``answers``
    (or the intents, when it answers several): a message read as that intent with little
    confidence is asked about first (``actions.unsure``).
    """

    answers: str | frozenset[str] | None = None

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        asked = self.asked_intent(tracker)
        if asked is not None and unsure_of(tracker, asked):
            ask_first(dispatcher, asked)
            return []
        msisdn: str | None = None
        try:
            msisdn = await self.customer_number(tracker)
            other = self.other_number(tracker, msisdn)
            if other:  # "balance of 139…": only the customer's own number is looked up
                own = mask_msisdn(msisdn) if msisdn else ""
                dispatcher.utter_message(response="utter_own_number_only", number=own)
            if msisdn is None:
                if input_channel(tracker) == SMS_CHANNEL:
                    raise CustomerNotFound("")
                dispatcher.utter_message(response="utter_verify_offer")
                dispatcher.utter_message(response="utter_menu_general")
                return []
            customer = await self.services.billing.get_customer(msisdn)
            return await self.run_for(customer, dispatcher, tracker, domain)
        except CustomerNotFound:
            dispatcher.utter_message(response="utter_not_a_customer")
            dispatcher.utter_message(response="utter_menu_general")
            return []
        except BillingError as exc:
            logger.warning("%s failed for %s: %s", self.name(), mask_msisdn(msisdn or ""), exc)
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        except Exception:
            logger.exception("%s crashed for %s", self.name(), mask_msisdn(msisdn or ""))
            ACTION_ERRORS.labels(action=self.name()).inc()
            dispatcher.utter_message(response="utter_service_unavailable")
            return []

    def asked_intent(self, tracker: Tracker) -> str | None:
        """The intent of ``answers`` the latest message was read as (the one intent named,
        or the one of several that was read)."""
        if isinstance(self.answers, str) or self.answers is None:
            return self.answers
        name = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        return name if name in self.answers else None

    async def customer_number(self, tracker: Tracker) -> str | None:
        return await customer_number(self.services, tracker)

    def other_number(self, tracker: Tracker, msisdn: str | None) -> str | None:
        """A phone number other than the customer's that the question names, if this
        action looks the account up for it."""
        if self.answers is None:
            return None
        named = phone_from_text(str((tracker.latest_message or {}).get("text") or ""))
        return named if named and named != msisdn else None

    @abc.abstractmethod
    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        """The journey itself, for a known customer."""


def previous_action(tracker: Tracker) -> str | None:
    """The last action the bot ran before the latest user message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action":
            name = event.get("name")
            if name not in ("action_listen", "action_extract_slots", None):
                return str(name)
    return None


async def redeem_confirmed(
    services: Services,
    tracker: Tracker,
    pending_slot: str,
    confirmable_after: frozenset[str],
    kind: str,
    msisdn: str,
) -> Proposal | None:
    """The proposal a "yes" confirms: only straight after its question, only the one the
    slot names, once, from this conversation, channel and number; None otherwise."""
    pending = tracker.get_slot(pending_slot)
    if not pending or previous_action(tracker) not in confirmable_after:
        return None
    proposal = await services.proposals.redeem(
        str(pending), tracker.sender_id, input_channel(tracker), kind, msisdn
    )
    if proposal is None:
        conversation = mask_numbers(tracker.sender_id[:128])
        logger.warning("no %s for %s: no such proposal here", kind, conversation)
    return proposal
