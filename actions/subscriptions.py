"""Value-added subscriptions: list them (``0000``) and unsubscribe with confirmation (``TD``)."""

from __future__ import annotations

import logging
import re

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, Services, conversation_language
from actions.confirmation import CANCEL_ACTIONS, ActionConfirmPending, ActionReaskPending, Offer
from actions.identity import input_channel
from actions.quoting import of_service
from actions.unsure import question_text
from bot.billing.port import Customer, Subscription, SubscriptionNotFound
from bot.domain.catalogue import services_named
from bot.domain.commands import SERVICE_CODE_ENTITY
from bot.domain.confirmations import UNSUBSCRIBE, UNSUBSCRIBE_FLOW
from bot.domain.formatting import fmt_money
from bot.domain.responses import join_parts, render
from bot.domain.script import to_simplified
from bot.state.proposals import Proposal

logger = logging.getLogger(__name__)

FLOW = UNSUBSCRIBE_FLOW  # the confirmation, asking again and cancelling: actions.confirmation
PROPOSE_ACTION = FLOW.propose
PENDING_SLOT = FLOW.pending_slot
UNSUBSCRIBE_INTENT = "unsubscribe"


def subscription_lines(subs: list[Subscription], domain: DomainDict, language: str) -> str:
    """The subscriptions as one list with codes and monthly fees."""
    lines = [
        render(
            domain,
            "utter_subscription_line",
            language,
            code=s.code,
            name=s.name(language),
            fee=fmt_money(s.monthly_fee),
        )
        for s in subs
    ]
    return join_parts(lines, language)


def named_subscription(tracker: Tracker, subs: list[Subscription]) -> Subscription | None:
    """The subscription the message names: ``TD <code>``, a code, or a name."""
    message = tracker.latest_message or {}
    for entity in message.get("entities") or []:
        if entity.get("entity") == SERVICE_CODE_ENTITY:
            code = str(entity.get("value", "")).upper()
            return next((s for s in subs if s.code == code), None)
    raw = question_text(tracker, UNSUBSCRIBE_INTENT)  # after "did you mean …?": the question
    if not raw or raw.startswith("/"):  # a button's payload names no service
        return None
    text = to_simplified(raw).lower()
    everyday = services_named(raw)  # "彩铃", "ringtone", "手机报" ...
    named = [
        s
        for s in subs
        if s.code in everyday
        or re.search(rf"(?<![a-z]){re.escape(s.code.lower())}(?![a-z])", text)
        or s.name_zh in text
        or s.name_en.lower() in text
    ]
    return named[0] if len(named) == 1 else None


class ActionListSubscriptions(AccountAction):
    """List the value-added services the customer pays for each month."""

    answers = "list_subscriptions"

    def name(self) -> str:
        return "action_list_subscriptions"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        subs = await self.services.billing.subscriptions(customer.msisdn)
        if not subs:
            dispatcher.utter_message(response="utter_no_subscriptions")
            return []
        total = fmt_money(sum((s.monthly_fee for s in subs), start=subs[0].monthly_fee * 0))
        language = conversation_language(tracker)
        dispatcher.utter_message(
            response="utter_subscriptions",
            services=subscription_lines(subs, domain, language),
            total=total,
        )
        return []


class ActionProposeUnsubscribe(AccountAction):
    """Name the service and its monthly fee; ask the customer to confirm.

    The offer is recorded on the server (see ``bot.state.proposals``); the slot
    holds only its id.
    """

    answers = UNSUBSCRIBE_INTENT  # asked about first when read with little confidence

    def name(self) -> str:
        return PROPOSE_ACTION

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        subs = await self.services.billing.subscriptions(customer.msisdn)
        language = conversation_language(tracker)
        if not subs:
            dispatcher.utter_message(response="utter_no_subscriptions")
            return [SlotSet(PENDING_SLOT, None)]
        target = named_subscription(tracker, subs)
        if target is None:
            dispatcher.utter_message(
                response="utter_unsubscribe_which",
                services=subscription_lines(subs, domain, language),
            )
            return [SlotSet(PENDING_SLOT, None)]
        proposal = await self.services.proposals.propose(
            tracker.sender_id,
            input_channel(tracker),
            customer.msisdn,
            UNSUBSCRIBE,
            target.code,
            of_service(target),
        )
        dispatcher.utter_message(
            response="utter_unsubscribe_confirm",
            name=target.name(language),
            fee=fmt_money(target.monthly_fee),
        )
        return [SlotSet(PENDING_SLOT, proposal.id)]


async def unsubscribe_offer(
    services: Services, proposal: Proposal, customer: Customer
) -> Offer | None:
    """The service's monthly fee now, and the question about it; None once it is gone."""
    subs = await services.billing.subscriptions(customer.msisdn)
    sub = next((s for s in subs if s.code == proposal.subject), None)
    if sub is None:
        return None

    def ask(dispatcher: CollectingDispatcher, language: str) -> None:
        dispatcher.utter_message(
            response="utter_unsubscribe_confirm",
            name=sub.name(language),
            fee=fmt_money(sub.monthly_fee),
        )

    return of_service(sub), ask


class ActionUnsubscribe(ActionConfirmPending):
    """Record the confirmed unsubscription and say what it saves each month."""

    flow = FLOW

    async def offer(self, proposal: Proposal, customer: Customer) -> Offer | None:
        return await unsubscribe_offer(self.services, proposal, customer)

    async def place(
        self,
        proposal: Proposal,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> EventList:
        try:
            sub = await self.services.billing.unsubscribe(proposal.msisdn, proposal.subject)
        except SubscriptionNotFound:
            dispatcher.utter_message(response="utter_nothing_to_confirm")
            return [SlotSet(PENDING_SLOT, None)]
        language = conversation_language(tracker)
        dispatcher.utter_message(
            response="utter_unsubscribed",
            name=sub.name(language),
            fee=fmt_money(sub.monthly_fee),
        )
        return [SlotSet(PENDING_SLOT, None)]


class ActionReaskUnsubscribe(ActionReaskPending):
    """The unsubscribe question again: the service and its monthly fee."""

    flow = FLOW

    async def offer(self, proposal: Proposal, customer: Customer) -> Offer | None:
        return await unsubscribe_offer(self.services, proposal, customer)


ActionCancelUnsubscribe = CANCEL_ACTIONS[FLOW.kind]  # "no" or "stop": the service is kept
