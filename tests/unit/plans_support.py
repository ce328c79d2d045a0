"""Helpers of the plan tests: run an action, the history after one, the recorded proposal."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.base import ServiceAction
from actions.plan_change import (
    PENDING_SLOT,
)
from actions.quoting import of_pack, of_plan, of_service
from bot.billing.insights import next_cycle_start
from bot.billing.packs import month_end
from bot.domain.confirmations import PLAN_CHANGE, UNSUBSCRIBE
from bot.domain.quotes import Quote
from bot.state.proposals import Proposal
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService
from tests.unit.trackers import C1, action, bot, make_tracker


def fake_billing(services: Services) -> FakeBillingService:
    assert isinstance(services.billing, FakeBillingService)
    return services.billing


async def run(
    action_class: type[ServiceAction],
    services: Services,
    domain: dict[str, Any],
    msisdn: str | None = C1,
    **tracker_args: Any,
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    instance = action_class(services=services, today=lambda: TODAY)
    events = await instance.run(dispatcher, make_tracker(msisdn, **tracker_args), domain)
    return dispatcher, events


def after(action_name: str) -> list[dict[str, Any]]:
    """History in which ``action_name`` ran and spoke just before the customer's reply."""
    return [action(action_name), bot(), action("action_listen")]


CONVERSATION = "conversation-1"  # make_tracker's sender, on SMS


async def recorded(services: Services, events: list[dict[str, Any]]) -> Proposal | None:
    """The pending proposal whose id the action put in the slot."""
    [event] = events
    assert event["event"] == "slot" and event["name"] == PENDING_SLOT
    if event["value"] is None:
        return None
    return await services.proposals.pending(event["value"], CONVERSATION, "sms", PLAN_CHANGE)


async def proposed(services: Services, msisdn: str, plan: str) -> dict[str, Any]:
    """Slots after the customer was offered ``plan`` in this conversation."""
    quote = await quoted(services, PLAN_CHANGE, plan, msisdn)
    proposal = await services.proposals.propose(
        CONVERSATION, "sms", msisdn, PLAN_CHANGE, plan, quote
    )
    return {PENDING_SLOT: proposal.id}


async def quoted(services: Services, kind: str, subject: str, msisdn: str) -> Quote:
    """What the catalogue quotes today for ``subject`` (a plan, service or pack code)."""
    billing = services.billing
    if kind == PLAN_CHANGE:
        plan = next(p for p in await billing.list_plans() if p.code == subject)
        return of_plan(plan, next_cycle_start(TODAY))
    if kind == UNSUBSCRIBE:
        sub = next(s for s in await billing.subscriptions(msisdn) if s.code == subject)
        return of_service(sub)
    pack = next(p for p in await billing.list_data_packs() if p.code == subject)
    return of_pack(pack, month_end(TODAY))
