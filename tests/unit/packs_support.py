"""Helpers of the data-pack action tests: run an action, a choice, a yes, a recorded proposal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ServiceAction
from actions.packs import ActionProposeDataPack
from bot.domain.quotes import Quote
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService
from tests.unit.trackers import C1, action, bot, make_tracker

SLOT = "pending_data_pack"
PAYLOAD_1G = '/choose_data_pack{"data_pack":"DP1G"}'
PAYLOAD_5G = '/choose_data_pack{"data_pack":"DP5G"}'


def fake(services: Services) -> FakeBillingService:
    assert isinstance(services.billing, FakeBillingService)
    return services.billing


async def run(
    action_class: type[ServiceAction], services: Services, domain: dict[str, Any], tracker: Tracker
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    instance = action_class(services=services, today=lambda: TODAY)
    return dispatcher, await instance.run(dispatcher, tracker, domain)


def choice(msisdn: str, text: str = PAYLOAD_1G, language: str = "zh", **kwargs: Any) -> Tracker:
    tracker = make_tracker(
        msisdn,
        text=text,
        intent="choose_data_pack",
        slots={"language": language},
        sender_id=msisdn,
        **kwargs,
    )
    if text.startswith("/"):
        code = text.split('"')[-2]
        tracker.latest_message["entities"] = [{"entity": "data_pack", "value": code}]
    return tracker


def answer(
    msisdn: str,
    pending: str | None,
    previous: str = "action_propose_data_pack",
    language: str = "zh",
    **kwargs: Any,
) -> Tracker:
    """The customer's "yes" straight after ``previous``."""
    history = [action(previous), bot(), action("action_listen")]
    args: dict[str, Any] = {"sender_id": msisdn, **kwargs}
    slots = {SLOT: pending, "language": language}
    return make_tracker(msisdn, text="1", intent="affirm", slots=slots, history=history, **args)


async def propose(
    services: Services,
    domain: dict[str, Any],
    msisdn: str = C1,
    text: str = PAYLOAD_1G,
    language: str = "zh",
) -> str:
    _, events = await run(ActionProposeDataPack, services, domain, choice(msisdn, text, language))
    return str(events[0]["value"])


ELSEWHERE = Quote(Decimal("1"))  # a proposal made elsewhere fails before its quote counts
