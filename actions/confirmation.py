"""The confirmation family: confirm, ask again and cancel, one action each per flow
declared in ``bot/domain/confirmations.py`` (plan change, unsubscribe, data pack).

A journey supplies two things: ``offer`` (the terms of the proposal's subject now, and
how to ask about them) and, for the confirmation, ``place`` (the order). Everything
else is here once: a "yes" counts only straight after the question and only for the
proposal the slot names, redeemed once from this conversation, channel and number;
terms that moved since the quote are quoted again under a new proposal, never ordered.
"""

from __future__ import annotations

import abc
from collections.abc import Callable

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, conversation_language, redeem_confirmed
from actions.identity import input_channel
from actions.quoting import requote
from bot.billing.port import Customer
from bot.domain.confirmations import CONFIRMATIONS, Confirmation
from bot.domain.quotes import Quote
from bot.state.proposals import Proposal

# The terms of a pending proposal's subject now, and how to ask about them.
Offer = tuple[Quote, Callable[[CollectingDispatcher, str], None]]


class ActionConfirmPending(AccountAction, abc.ABC):
    """A yes to the flow's question: the order, at the terms quoted."""

    flow: Confirmation

    def name(self) -> str:
        return self.flow.confirm

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        flow = self.flow
        proposal = await redeem_confirmed(
            self.services, tracker, flow.pending_slot, flow.asked_by, flow.kind, customer.msisdn
        )
        offer = await self.offer(proposal, customer) if proposal is not None else None
        if proposal is None or offer is None:
            dispatcher.utter_message(response="utter_nothing_to_confirm")
            return [SlotSet(flow.pending_slot, None)]
        quote, _ask = offer
        if proposal.quote != quote:  # the terms moved since the quote: ask again
            fresh = await requote(self.services.proposals, dispatcher, proposal, quote)
            return [SlotSet(flow.pending_slot, fresh.id), FollowupAction(flow.ask_again)]
        return await self.place(proposal, customer, dispatcher, tracker)

    @abc.abstractmethod
    async def offer(self, proposal: Proposal, customer: Customer) -> Offer | None:
        """The terms of ``proposal``'s subject now; None if its subject is gone."""

    @abc.abstractmethod
    async def place(
        self,
        proposal: Proposal,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> EventList:
        """Order what was confirmed, say so, and forget the slot."""


class ActionReaskPending(AccountAction, abc.ABC):
    """Ask the flow's question again, from the proposal on the server.

    Says nothing, and forgets the slot, when the proposal is no longer pending
    (confirmed, expired, or never recorded): a later "yes" then confirms nothing.
    If the terms moved since they were quoted, says so and quotes the new ones under
    a new proposal.
    """

    flow: Confirmation

    def name(self) -> str:
        return self.flow.ask_again

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        slot = self.flow.pending_slot
        pending = tracker.get_slot(slot)
        proposal = (
            await self.services.proposals.pending(
                str(pending), tracker.sender_id, input_channel(tracker), self.flow.kind
            )
            if pending
            else None
        )
        if proposal is None or proposal.msisdn != customer.msisdn:
            return [SlotSet(slot, None)] if pending else []
        offer = await self.offer(proposal, customer)
        if offer is None:
            return [SlotSet(slot, None)]
        quote, ask = offer
        events: EventList = []
        if proposal.quote != quote:
            fresh = await requote(self.services.proposals, dispatcher, proposal, quote)
            events = [SlotSet(slot, fresh.id)]
        ask(dispatcher, conversation_language(tracker))
        return events

    @abc.abstractmethod
    async def offer(self, proposal: Proposal, customer: Customer) -> Offer | None:
        """The terms of ``proposal``'s subject now and how to ask about them; None if
        its subject is gone."""


class ActionCancelPending(Action, abc.ABC):
    """A no (or stop) to the flow's question: say so and forget the slot (the proposal
    stays unused)."""

    flow: Confirmation

    @abc.abstractmethod
    def name(self) -> str:
        """The flow's cancel action (abstract: keeps the executor off this base)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        dispatcher.utter_message(response=self.flow.cancelled)
        return [SlotSet(self.flow.pending_slot, None)]


def cancel_action(flow: Confirmation) -> type[ActionCancelPending]:
    """The concrete cancel action of ``flow`` (the executor registers it like any other)."""

    class Cancel(ActionCancelPending):
        def name(self) -> str:
            return flow.cancel

    Cancel.flow = flow
    Cancel.__name__ = Cancel.__qualname__ = "ActionCancel_" + flow.kind
    return Cancel


# One per flow, nothing else to write: the reply and the slot come from the declaration.
CANCEL_ACTIONS = {flow.kind: cancel_action(flow) for flow in CONFIRMATIONS}
