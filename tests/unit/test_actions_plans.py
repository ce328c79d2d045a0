"""Plan catalogue, recommendation, and plan change with its confirmation step."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ServiceAction
from actions.plans import (
    PENDING_SLOT,
    PROPOSE_ACTION,
    ActionCancelPlanChange,
    ActionChangePlan,
    ActionListPlans,
    ActionProposePlanChange,
    ActionRecommendPlan,
)
from bot.state.proposals import PLAN_CHANGE, Proposal
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService
from tests.unit.trackers import C1, C2, C3, C5, action, bot, make_tracker, responses, sent, user


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
    proposal = await services.proposals.propose(CONVERSATION, "sms", msisdn, PLAN_CHANGE, plan)
    return {PENDING_SLOT: proposal.id}


class TestListPlans:
    async def test_catalogue_without_an_account(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionListPlans, services, domain, None, channel="rest")
        plans = sent(dispatcher, "utter_plan_list")["plans"]
        assert plans.startswith(
            "Senior Care 8 8.00 yuan/month (1.0 GB, 100 min, 50 SMS) "
            "(Senior Care 8 is for customers aged 60 or over), Talk 18 18.00 yuan/month"
        )
        rest = sent(dispatcher, "utter_plan_list_more")["plans"]
        assert rest.startswith("Plus 58 58.00 yuan/month (40.0 GB, 500 min, 100 SMS)")
        assert rest.endswith("Premier 128 128.00 yuan/month (150.0 GB, 2000 min, 500 SMS)")

    async def test_catalogue_in_chinese(self, services: Services, domain: dict[str, Any]) -> None:
        dispatcher, _ = await run(ActionListPlans, services, domain, slots={"language": "zh"})
        plans = sent(dispatcher, "utter_plan_list")["plans"]
        assert plans.startswith(
            "长者关爱套餐 8.00元/月（1.0GB，100分钟，50条短信）"
            "（长者关爱套餐限60岁及以上用户办理），畅聊18元套餐"
        )

    async def test_billing_down(self, services: Services, domain: dict[str, Any]) -> None:
        fake_billing(services).down = True
        dispatcher, _ = await run(ActionListPlans, services, domain)
        assert responses(dispatcher) == ["utter_service_unavailable"]


class TestRecommendPlan:
    async def test_customer_3_is_advised_p58_saving_40_17(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(ActionRecommendPlan, services, domain, C3)
        message = sent(dispatcher, "utter_recommend_change")
        assert {
            k: message[k] for k in ("plan", "fee", "avg", "difference", "data", "voice", "sms")
        } == {
            "plan": "Plus 58",
            "fee": "58.00",
            "avg": "98.17",
            "difference": "so you would save 40.17 yuan a month",
            "data": "32.0",
            "voice": "160",
            "sms": "25",
        }
        assert events == [SlotSet("recommended_plan", "P58")]

    async def test_customer_1_keeps_his_plan(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(ActionRecommendPlan, services, domain, C1)
        message = sent(dispatcher, "utter_recommend_keep")
        assert (message["plan"], message["data"], message["voice"], message["sms"]) == (
            "Plus 58",
            "35.3",
            "180",
            "18",
        )
        assert events == [SlotSet("recommended_plan", None)]

    async def test_customer_2_is_advised_the_senior_plan(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(
            ActionRecommendPlan, services, domain, C2, slots={"language": "zh"}
        )
        message = sent(dispatcher, "utter_recommend_change")
        assert (message["plan"], message["fee"], message["difference"]) == (
            "长者关爱套餐",
            "8.00",
            "每月可省80.00元",
        )
        assert events == [SlotSet("recommended_plan", "SENIOR8")]

    async def test_customer_5_pays_more_but_stays_in_allowance(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionRecommendPlan, services, domain, C5)
        message = sent(dispatcher, "utter_recommend_change")
        assert (message["plan"], message["avg"], message["difference"]) == (
            "Essential 38",
            "20.83",
            "that is 17.17 yuan a month more, but you would stay within your allowance",
        )

    async def test_no_history(self, services: Services, domain: dict[str, Any]) -> None:
        fake_billing(services).history[C3] = []
        dispatcher, events = await run(ActionRecommendPlan, services, domain, C3)
        assert responses(dispatcher) == ["utter_bill_no_history"]
        assert events == [SlotSet("recommended_plan", None)]


class TestProposePlanChange:
    async def test_named_plan_is_proposed_with_fee_and_date(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(
            ActionProposePlanChange, services, domain, C3, text="换成58元套餐"
        )
        message = sent(dispatcher, "utter_plan_change_confirm")
        assert (message["current"], message["plan"], message["fee"], message["effective_date"]) == (
            "Essential 38",
            "Plus 58",
            "58.00",
            "2026-12-01",
        )
        proposal = await recorded(services, events)
        assert proposal is not None
        assert (proposal.conversation_id, proposal.channel, proposal.msisdn, proposal.subject) == (
            CONVERSATION,
            "sms",
            C3,
            "P58",
        )

    async def test_the_slot_holds_the_proposal_id_not_the_plan(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        _, events = await run(ActionProposePlanChange, services, domain, C3, text="P58")
        proposal = await recorded(services, events)
        assert proposal is not None and events == [SlotSet(PENDING_SLOT, proposal.id)]
        assert proposal.id != "P58"

    async def test_button_reply_takes_the_recommended_plan(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(
            ActionProposePlanChange,
            services,
            domain,
            C3,
            text="/affirm",
            slots={"recommended_plan": "P58"},
        )
        assert sent(dispatcher, "utter_plan_change_confirm")["plan"] == "Plus 58"
        proposal = await recorded(services, events)
        assert proposal is not None and proposal.subject == "P58"

    async def test_under_60_asking_for_senior8_is_refused(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(
            ActionProposePlanChange, services, domain, C1, text="长者套餐"
        )
        assert responses(dispatcher) == ["utter_plan_not_eligible"]
        assert sent(dispatcher, "utter_plan_not_eligible")["plan"] == "Senior Care 8"
        assert events == [SlotSet("pending_plan", None)]

    async def test_over_60_may_take_senior8(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        _, events = await run(ActionProposePlanChange, services, domain, C2, text="长者套餐")
        proposal = await recorded(services, events)
        assert proposal is not None and (proposal.msisdn, proposal.subject) == (C2, "SENIOR8")

    async def test_current_plan_is_already_held(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(ActionProposePlanChange, services, domain, C1, text="P58")
        assert sent(dispatcher, "utter_plan_already")["plan"] == "Plus 58"
        assert events == [SlotSet("pending_plan", None)]

    async def test_unknown_plan_lists_the_catalogue(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(
            ActionProposePlanChange, services, domain, C1, text="a cheaper one please"
        )
        assert responses(dispatcher) == [
            "utter_plan_unknown",
            "utter_plan_list",
            "utter_plan_list_more",
        ]
        assert "Max 88 88.00 yuan/month" in sent(dispatcher, "utter_plan_list_more")["plans"]
        assert events == [SlotSet("pending_plan", None)]


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
