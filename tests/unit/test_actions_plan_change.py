"""Journey 5: the plan change is placed only on a confirmed, recorded proposal."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.plan_change import (
    PENDING_SLOT,
    PROPOSE_ACTION,
    ActionCancelPlanChange,
    ActionChangePlan,
    ActionProposePlanChange,
)
from bot.wiring import Services
from tests.unit.plans_support import after, fake_billing, proposed, run
from tests.unit.trackers import C1, C3, C5, make_tracker, responses, sent, user


class TestChangePlan:
    async def test_confirmed_change_records_an_order(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(
            ActionChangePlan,
            services,
            domain,
            C3,
            text="yes",
            slots=await proposed(services, C3, "P58"),
            history=after(PROPOSE_ACTION),
        )
        message = sent(dispatcher, "utter_plan_changed")
        assert (
            message["order_id"],
            message["plan"],
            message["fee"],
            message["effective_date"],
        ) == ("PC2611280001", "Plus 58", "58.00", "2026-12-01")
        order = fake_billing(services).orders[0]
        assert (order.msisdn, order.from_plan, order.to_plan) == (C3, "P38", "P58")
        assert events == [SlotSet("pending_plan", None), SlotSet("recommended_plan", None)]

    async def test_refused_when_the_previous_action_was_not_the_proposal(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        history = [
            *after(PROPOSE_ACTION),
            user("my balance?", "check_balance"),
            *after("action_check_balance"),
        ]
        dispatcher, events = await run(
            ActionChangePlan,
            services,
            domain,
            C3,
            text="yes",
            slots=await proposed(services, C3, "P58"),
            history=history,
        )
        assert responses(dispatcher) == ["utter_nothing_to_confirm"]
        assert fake_billing(services).orders == []
        assert events == [SlotSet("pending_plan", None)]

    async def test_refused_without_a_pending_plan(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(
            ActionChangePlan, services, domain, C3, text="yes", history=after(PROPOSE_ACTION)
        )
        assert responses(dispatcher) == ["utter_nothing_to_confirm"]
        assert fake_billing(services).orders == []

    async def test_billing_refusal_is_passed_on(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(
            ActionChangePlan,
            services,
            domain,
            C1,
            text="yes",
            slots=await proposed(services, C1, "SENIOR8"),
            history=after(PROPOSE_ACTION),
        )
        assert responses(dispatcher) == ["utter_plan_not_eligible"]
        assert fake_billing(services).orders == []
        assert events == [SlotSet("pending_plan", None)]

    async def test_billing_refusal_names_the_plan_not_its_code(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        """Every other reply names the plan in the customer's language."""
        dispatcher, _ = await run(
            ActionChangePlan,
            services,
            domain,
            C1,
            text="yes",
            slots=await proposed(services, C1, "SENIOR8"),
            history=after(PROPOSE_ACTION),
        )
        assert sent(dispatcher, "utter_plan_not_eligible")["plan"] == "Senior Care 8"


async def test_offered_then_confirmed_in_two_turns(
    services: Services, domain: dict[str, Any]
) -> None:
    """The journey as Rasa runs it: the proposal's id travels in the slot."""
    _, offered = await run(ActionProposePlanChange, services, domain, C5, text="Essential 38")
    dispatcher, events = await run(
        ActionChangePlan,
        services,
        domain,
        C5,
        text="1",
        slots={PENDING_SLOT: offered[0]["value"]},
        history=after(PROPOSE_ACTION),
    )
    assert sent(dispatcher, "utter_plan_changed")["plan"] == "Essential 38"
    assert [(o.msisdn, o.to_plan) for o in fake_billing(services).orders] == [(C5, "P38")]
    assert events == [SlotSet(PENDING_SLOT, None), SlotSet("recommended_plan", None)]


async def test_cancel_drops_the_pending_plan(services: Services, domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionCancelPlanChange().run(
        dispatcher, make_tracker(C3, slots={"pending_plan": "P58"}), domain
    )
    assert responses(dispatcher) == ["utter_plan_change_cancelled"]
    assert events == [SlotSet("pending_plan", None)]
