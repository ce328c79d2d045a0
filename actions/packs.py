"""Data packs (add-on data, ``LLB``): offer them, confirm the chosen one, order it.

``action_offer_data_packs`` lists the packs as buttons (numbered options on SMS)
whose payloads are ``/choose_data_pack{"data_pack": "<code>"}``; it also runs
straight after an external event (a notice), when the conversation has no customer
message to identify the customer by: then it lists the catalogue, and the
customer's answer (a signed message) is what identifies them; a customer the notice
says cannot buy a pack (in arrears, or a balance below the cheapest) is told how to top
up instead (``bot.notices.due``: ``notice_follow_up``). Choosing records a
proposal on the server (``bot.state.proposals``) and asks to confirm; only a "yes"
straight after that question orders, once, the pack of that proposal.
"""

from __future__ import annotations

import datetime as dt
import logging

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AccountAction, EventList, Services, conversation_language
from actions.confirmation import CANCEL_ACTIONS, ActionConfirmPending, ActionReaskPending, Offer
from actions.identity import input_channel
from actions.notices import notice_entities
from actions.pack_choice import BUY_INTENT, affordable, chosen_pack, pack_buttons
from actions.quoting import of_pack
from bot.billing.packs import month_end
from bot.billing.port import (
    BalanceTooLow,
    BillingError,
    Customer,
    CustomerInArrears,
    DataPack,
    DataPackNotFound,
)
from bot.domain.confirmations import DATA_PACK, DATA_PACK_FLOW
from bot.domain.formatting import fmt_date, fmt_gb, fmt_money
from bot.notices.due import FOLLOW_UP_FIGURE, FOLLOW_UP_TOP_UP
from bot.state.proposals import Proposal

logger = logging.getLogger(__name__)

OFFER_ACTION = "action_offer_data_packs"
FLOW = DATA_PACK_FLOW  # the confirmation, asking again and cancelling: actions.confirmation
PROPOSE_ACTION = FLOW.propose
PENDING_SLOT = FLOW.pending_slot
EXTERNAL_PREFIX = "EXTERNAL: "  # the text Rasa gives an external event (trigger_intent)


def is_external(tracker: Tracker) -> bool:
    """Whether the latest "message" is an external event rather than the customer's."""
    text = (tracker.latest_message or {}).get("text") or ""
    return str(text).startswith(EXTERNAL_PREFIX)


class ActionOfferDataPacks(AccountAction):
    """The packs on sale with prices and validity, as numbered options."""

    answers = BUY_INTENT  # asked about first when read with little confidence

    def name(self) -> str:
        return OFFER_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        if not is_external(tracker):
            return await super().run(dispatcher, tracker, domain)
        if notice_entities(tracker).get(FOLLOW_UP_FIGURE) == FOLLOW_UP_TOP_UP:
            dispatcher.utter_message(response="utter_notice_data_top_up")
            return [SlotSet(PENDING_SLOT, None)]
        try:  # after a notice: no customer message to identify anyone by
            await self.offer(dispatcher, tracker, domain)
        except BillingError as exc:
            logger.warning("%s failed after an external event: %s", self.name(), exc)
            dispatcher.utter_message(response="utter_service_unavailable")
        return [SlotSet(PENDING_SLOT, None)]

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        packs = await self.services.billing.list_data_packs()
        if customer.balance < 0:
            dispatcher.utter_message(
                response="utter_data_pack_arrears", owed=fmt_money(-customer.balance)
            )
        elif packs and customer.balance < packs[0].price:  # not even the cheapest: no list
            dispatcher.utter_message(
                response="utter_data_pack_balance_low",
                balance=fmt_money(customer.balance),
                price=fmt_money(packs[0].price),
            )
        elif chosen_pack(tracker, packs):
            # "add 5GB": the pack is named, so straight to its confirmation
            return [SlotSet(PENDING_SLOT, None), FollowupAction(PROPOSE_ACTION)]
        else:
            await self.offer(dispatcher, tracker, domain)
        return [SlotSet(PENDING_SLOT, None)]

    async def offer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> None:
        packs = await self.services.billing.list_data_packs()
        if not packs:
            dispatcher.utter_message(response="utter_data_pack_none")
            return
        language = conversation_language(tracker)
        dispatcher.utter_message(
            response="utter_data_pack_offer",
            valid_until=fmt_date(month_end(self._today())),
            buttons=pack_buttons(packs, domain, language),
        )


class ActionProposeDataPack(AccountAction):
    """Name the chosen pack, its price, data and validity; ask the customer to confirm."""

    def name(self) -> str:
        return PROPOSE_ACTION

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> EventList:
        packs = await self.services.billing.list_data_packs()
        language = conversation_language(tracker)
        pack = chosen_pack(tracker, packs)
        if pack is None:
            dispatcher.utter_message(
                response="utter_data_pack_unknown", buttons=pack_buttons(packs, domain, language)
            )
            return [SlotSet(PENDING_SLOT, None)]
        if not affordable(customer, pack, dispatcher):
            return [SlotSet(PENDING_SLOT, None)]
        proposal = await self.services.proposals.propose(
            tracker.sender_id,
            input_channel(tracker),
            customer.msisdn,
            DATA_PACK,
            pack.code,
            of_pack(pack, month_end(self._today())),
        )
        ask_data_pack(pack, dispatcher, language, self._today())
        return [SlotSet(PENDING_SLOT, proposal.id)]


def ask_data_pack(
    pack: DataPack, dispatcher: CollectingDispatcher, language: str, today: dt.date
) -> None:
    """The confirmation question: the pack, its data, price and validity."""
    dispatcher.utter_message(
        response="utter_data_pack_confirm",
        name=pack.name(language),
        data=fmt_gb(pack.data_gb),
        price=fmt_money(pack.price),
        valid_until=fmt_date(month_end(today)),
    )


async def data_pack_offer(services: Services, proposal: Proposal, today: dt.date) -> Offer | None:
    """The pack's price, data and validity now, and the question about them."""
    packs = await services.billing.list_data_packs()
    pack = next((p for p in packs if p.code == proposal.subject), None)
    if pack is None:
        return None

    def ask(dispatcher: CollectingDispatcher, language: str) -> None:
        ask_data_pack(pack, dispatcher, language, today)

    return of_pack(pack, month_end(today)), ask


class ActionOrderDataPack(ActionConfirmPending):
    """Order the confirmed pack, paid from the balance."""

    flow = FLOW

    async def offer(self, proposal: Proposal, customer: Customer) -> Offer | None:
        return await data_pack_offer(self.services, proposal, self._today())

    async def place(
        self,
        proposal: Proposal,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> EventList:
        billing = self.services.billing
        try:
            order = await billing.order_data_pack(proposal.msisdn, proposal.subject)
        except CustomerInArrears as exc:
            dispatcher.utter_message(
                response="utter_data_pack_arrears", owed=fmt_money(-exc.balance)
            )
            return [SlotSet(PENDING_SLOT, None)]
        except BalanceTooLow as exc:
            dispatcher.utter_message(
                response="utter_data_pack_balance_low",
                balance=fmt_money(exc.balance),
                price=fmt_money(exc.price),
            )
            return [SlotSet(PENDING_SLOT, None)]
        except DataPackNotFound:
            dispatcher.utter_message(response="utter_nothing_to_confirm")
            return [SlotSet(PENDING_SLOT, None)]
        language = conversation_language(tracker)
        balance = (await billing.get_customer(proposal.msisdn)).balance
        dispatcher.utter_message(
            response="utter_data_pack_ordered",
            order_id=order.order_id,
            name=order.pack.name(language),
            data=fmt_gb(order.pack.data_gb),
            price=fmt_money(order.pack.price),
            valid_until=fmt_date(order.valid_until),
            balance=fmt_money(balance),
        )
        return [SlotSet(PENDING_SLOT, None)]


class ActionReaskDataPack(ActionReaskPending):
    """The data pack question again, after a question answered in passing."""

    flow = FLOW

    async def offer(self, proposal: Proposal, customer: Customer) -> Offer | None:
        return await data_pack_offer(self.services, proposal, self._today())


ActionCancelDataPack = CANCEL_ACTIONS[FLOW.kind]  # "no" or "stop": nothing is ordered
