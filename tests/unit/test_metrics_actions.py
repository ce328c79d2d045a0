"""A custom action that crashes is counted by name (the customer gets an apology)."""

from __future__ import annotations

from typing import Any

from prometheus_client import REGISTRY
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import AccountAction
from bot.billing.port import Customer
from tests.fakes import fake_services
from tests.unit.trackers import C1, make_tracker, responses


class ActionThatCrashes(AccountAction):
    def name(self) -> str:
        return "action_unit_crash"

    async def run_for(
        self,
        customer: Customer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        raise RuntimeError("a bug")


async def test_a_crashing_action_is_counted_by_name() -> None:
    def errors() -> float:
        found = REGISTRY.get_sample_value(
            "assistant_action_errors_total", {"action": "action_unit_crash"}
        )
        return found or 0.0

    before = errors()
    dispatcher = CollectingDispatcher()
    action = ActionThatCrashes(services=fake_services())
    assert await action.run(dispatcher, make_tracker(C1), {}) == []
    assert responses(dispatcher) == ["utter_service_unavailable"]
    assert errors() == before + 1
