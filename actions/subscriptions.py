"""Value-added subscriptions: list them (``0000``) and unsubscribe with confirmation (``TD``)."""

from __future__ import annotations

import logging
import re

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    AccountAction,
    ActionCancelPending,
    EventList,
    conversation_language,
    redeem_confirmed,
)
from actions.identity import input_channel
from actions.quoting import of_service, requote
from actions.unsure import question_text
from bot.billing.port import Customer, Subscription, SubscriptionNotFound
from bot.domain.catalogue import services_named
from bot.domain.commands import SERVICE_CODE_ENTITY
from bot.domain.formatting import fmt_money
from bot.domain.responses import join_parts, render
from bot.domain.script import to_simplified
from bot.state.proposals import UNSUBSCRIBE

logger = logging.getLogger(__name__)

PROPOSE_ACTION = "action_propose_unsubscribe"
REASK_ACTION = "action_reask_unsubscribe"  # the question asked again after a digression
CONFIRMABLE_AFTER = frozenset({PROPOSE_ACTION, REASK_ACTION})
UNSUBSCRIBE_INTENT = "unsubscribe"
PENDING_SLOT = "pending_unsubscribe"  # the id of the recorded proposal, never a service code


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


class ActionUnsubscribe(AccountAction):
    """Record the confirmed unsubscription and say what it saves each month.

    Only straight after the question (the proposal, or the question asked again
    after a digression), and only the service of the proposal the slot names,
    redeemed once from this conversation, channel and verified number; at the fee
    quoted, or the new fee is quoted and asked about again.
    """

    def name(self) -> str:
        return "action_unsubscribe"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        proposal = await redeem_confirmed(
            self.services, tracker, PENDING_SLOT, CONFIRMABLE_AFTER, UNSUBSCRIBE, customer.msisdn
        )
        subs = await self.services.billing.subscriptions(customer.msisdn) if proposal else []
        quoted = next((s for s in subs if proposal and s.code == proposal.subject), None)
        if proposal is None or quoted is None:
            dispatcher.utter_message(response="utter_nothing_to_confirm")
            return [SlotSet(PENDING_SLOT, None)]
        if proposal.quote != of_service(quoted):
            fresh = await requote(self.services.proposals, dispatcher, proposal, of_service(quoted))
            return [SlotSet(PENDING_SLOT, fresh.id), FollowupAction(REASK_ACTION)]
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


class ActionCancelUnsubscribe(ActionCancelPending):
    """Keep the subscription."""

    response = "utter_unsubscribe_cancelled"
    pending_slot = PENDING_SLOT

    def name(self) -> str:
        return "action_cancel_unsubscribe"
