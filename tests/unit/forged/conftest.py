"""Forged trackers: the shared world (fakes, or the SQL queue, on one database) and helpers."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.engine import Engine

from actions.base import ServiceAction
from bot.handoff.queue import HandoffQueue
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.stats import StatsStore
from bot.state.proposals import ProposalStore
from bot.wiring import Services
from tests.fakes import NOW, TODAY, Clock, FakeBillingService, FakeHandoffQueue, memory_engine
from tests.unit.trackers import C5, action, bot, make_tracker

CONVERSATION = C5  # an SMS conversation's id is the customer's number


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture(params=["fake", "sql"])
def world(
    request: pytest.FixtureRequest, services: Services, clock: Clock
) -> tuple[Services, Engine]:
    """Fakes whose state shares one in-memory database; the queue fake or SQL."""
    engine = memory_engine()
    queue: HandoffQueue = (
        FakeHandoffQueue(clock) if request.param == "fake" else SqlHandoffQueue(engine, clock)
    )
    stats, proposals = StatsStore(engine, clock), ProposalStore(engine, clock=clock)
    return replace(services, handoff=queue, stats=stats, proposals=proposals), engine


def billing(services: Services) -> FakeBillingService:
    assert isinstance(services.billing, FakeBillingService)
    return services.billing


async def run(
    action_class: type[ServiceAction], services: Services, domain: dict[str, Any], tracker: Tracker
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    instance = action_class(services=services, today=lambda: TODAY)
    return dispatcher, await instance.run(dispatcher, tracker, domain)


def reply(text: str, slots: dict[str, Any], previous: str, **tracker_args: Any) -> Tracker:
    """The customer's answer straight after ``previous`` asked for a confirmation."""
    history = [action(previous), bot(), action("action_listen")]
    args = {"sender_id": CONVERSATION, **tracker_args}
    return make_tracker(C5, text=text, intent="affirm", slots=slots, history=history, **args)
