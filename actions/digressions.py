"""Digressions: a question answered in the middle of a form or a confirmation.

A form (complaint, phone verification) leaves an informational message to the
rules (data/rules.yml answers it, then runs the form again, which asks its
pending question). A pending confirmation (plan change, unsubscribe) is asked
again by the actions below, from the proposal recorded on the server, so that
a "yes" is only ever taken straight after the question itself.
"""

from __future__ import annotations

import abc
from collections.abc import Callable

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import plans, subscriptions
from actions.base import AccountAction, EventList, conversation_language
from actions.identity import input_channel
from actions.quoting import of_plan, of_service, requote
from bot.billing.insights import next_cycle_start
from bot.billing.port import Customer
from bot.domain.formatting import fmt_money
from bot.domain.quotes import Quote
from bot.domain.requests import parts
from bot.state.proposals import PLAN_CHANGE, UNSUBSCRIBE, Proposal

# The terms of a pending proposal's subject now, and how to ask about them.
Offer = tuple[Quote, Callable[[CollectingDispatcher, str], None]]

# Questions answered without leaving a form or dropping a pending confirmation
# (SMS codes such as YE, LL, TC, ZD, 0000 and HELP map to these intents).
INFORMATIONAL_INTENTS = frozenset(
    {
        "check_balance",
        "check_usage",
        "check_bill",
        "current_plan",
        "list_plans",
        "ask_plan_info",
        "list_subscriptions",
        "complaint_status",
        "command_help",
        "ask_capabilities",
    }
)
# What a form's slot extraction leaves to the rules: leaving, a person, or a digression.
LEAVE_FORM_INTENTS = frozenset({"stop", "human_handoff"}) | INFORMATIONAL_INTENTS
# A free-text answer (a complaint's description) is taken as a question asked in passing
# only when the classifier is this sure ("charged twice!" describes a problem; "YE" and
# "how much is my bill?" are questions); leaving and a person always leave.
DIGRESSION_CONFIDENCE = 0.8


def informational(name: object) -> bool:
    """A question answered in passing: an informational intent, or several in one message
    (``check_balance+check_usage``)."""
    asked = parts(name) if isinstance(name, str) else ()
    return bool(asked) and all(part in INFORMATIONAL_INTENTS for part in asked)


def leaves_form(name: object) -> bool:
    """What a form's slot extraction leaves to the rules: leaving, a person, or a question
    in passing (one or several)."""
    return name in LEAVE_FORM_INTENTS or informational(name)


def _sure(intent: dict[str, object] | None) -> bool:
    confidence = (intent or {}).get("confidence")
    return isinstance(confidence, (int, float)) and confidence >= DIGRESSION_CONFIDENCE


def leaves_free_text(intent: dict[str, object] | None) -> bool:
    """Whether a message answering a free-text question leaves it to the rules instead."""
    name = (intent or {}).get("name")
    if name in ("stop", "human_handoff"):
        return True
    return informational(name) and _sure(intent)


def leaves_place(intent: dict[str, object] | None) -> bool:
    """Whether an answer to "where?" leaves it: leaving, a person, or any question in
    passing (a place is never read as one)."""
    name = (intent or {}).get("name")
    return name in ("stop", "human_handoff") or informational(name)


# Short answers that answer no free-text question: "yes" to "where?", "thanks".
SHORT_ANSWERS = frozenset(
    {"affirm", "deny", "greet", "thank", "goodbye", "rate_service", "express_affection",
     "bot_challenge", "choose_data_pack"}
)  # fmt: skip


def misfits(intent: dict[str, object] | None, fits: frozenset[str]) -> bool:
    """Whether a message does not answer a free-text question: a short answer, or another
    request read with confidence (answered in passing ones are left to the rules first)."""
    name = (intent or {}).get("name")
    if not isinstance(name, str) or name in fits or informational(name):
        return False
    return name in SHORT_ANSWERS or _sure(intent)


class ActionReaskPending(AccountAction, abc.ABC):
    """Ask the pending confirmation question again, from the proposal on the server.

    Says nothing, and forgets the slot, when the proposal is no longer pending
    (confirmed, expired, or never recorded): a later "yes" then confirms nothing.
    If the terms moved since they were quoted, says so and quotes the new ones under
    a new proposal.
    """

    kind: str
    pending_slot: str

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        pending = tracker.get_slot(self.pending_slot)
        proposal = (
            await self.services.proposals.pending(
                str(pending), tracker.sender_id, input_channel(tracker), self.kind
            )
            if pending
            else None
        )
        if proposal is None or proposal.msisdn != customer.msisdn:
            return [SlotSet(self.pending_slot, None)] if pending else []
        offer = await self.offer(proposal, customer)
        if offer is None:
            return [SlotSet(self.pending_slot, None)]
        quote, ask = offer
        events: EventList = []
        if proposal.quote != quote:
            fresh = await requote(self.services.proposals, dispatcher, proposal, quote)
            events = [SlotSet(self.pending_slot, fresh.id)]
        ask(dispatcher, conversation_language(tracker))
        return events

    @abc.abstractmethod
    async def offer(self, proposal: Proposal, customer: Customer) -> Offer | None:
        """The terms of ``proposal``'s subject now and how to ask about them; None if
        its subject is gone."""


class ActionReaskPlanChange(ActionReaskPending):
    """The plan change question again: plans, new fee, effective date."""

    kind = PLAN_CHANGE
    pending_slot = plans.PENDING_SLOT

    def name(self) -> str:
        return plans.REASK_ACTION

    async def offer(self, proposal: Proposal, customer: Customer) -> Offer | None:
        catalogue = {p.code: p for p in await self.services.billing.list_plans()}
        current, target = catalogue.get(customer.plan_code), catalogue.get(proposal.subject)
        if current is None or target is None:
            return None
        effective = next_cycle_start(self._today())

        def ask(dispatcher: CollectingDispatcher, language: str) -> None:
            plans.ask_plan_change(dispatcher, current, target, language, effective)

        return of_plan(target, effective), ask


class ActionReaskUnsubscribe(ActionReaskPending):
    """The unsubscribe question again: the service and its monthly fee."""

    kind = UNSUBSCRIBE
    pending_slot = subscriptions.PENDING_SLOT

    def name(self) -> str:
        return subscriptions.REASK_ACTION

    async def offer(self, proposal: Proposal, customer: Customer) -> Offer | None:
        subs = await self.services.billing.subscriptions(customer.msisdn)
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
