"""Quotes of the confirmation journeys: the terms each question states, and a new quote
when the catalogue moved between the question and the "yes".

A plan change quotes the plan's fee, allowances and effective date; a data pack its
price, data and last valid day; an unsubscription the monthly fee it saves. Nothing
is charged on terms the customer was not told: on any difference the bot says so,
withdraws the old proposal and asks again with the new terms.
"""

from __future__ import annotations

import datetime as dt

from rasa_sdk.executor import CollectingDispatcher

from bot.billing.port import DataPack, Plan, Subscription
from bot.domain.quotes import Quote, pack_quote, plan_quote, service_quote
from bot.state.proposals import Proposal, ProposalStore

CHANGED_RESPONSE = "utter_quote_changed"


def of_plan(plan: Plan, effective: dt.date) -> Quote:
    """A plan change to ``plan`` from ``effective`` on."""
    return plan_quote(plan.monthly_fee, plan.data_gb, plan.voice_min, plan.sms, effective)


def of_pack(pack: DataPack, valid_until: dt.date) -> Quote:
    """``pack`` bought today, valid until ``valid_until``."""
    return pack_quote(pack.price, pack.data_gb, valid_until)


def of_service(subscription: Subscription) -> Quote:
    """Ending ``subscription``."""
    return service_quote(subscription.monthly_fee)


async def requote(
    proposals: ProposalStore, dispatcher: CollectingDispatcher, old: Proposal, quote: Quote
) -> Proposal:
    """Say the terms changed, withdraw ``old`` and record the same offer on the new terms
    (the caller asks the question again)."""
    await proposals.withdraw(old.id)
    dispatcher.utter_message(response=CHANGED_RESPONSE)
    return await proposals.propose(
        old.conversation_id, old.channel, old.msisdn, old.kind, old.subject, quote
    )
