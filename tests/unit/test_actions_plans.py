"""Plan catalogue, recommendation, and plan change with its confirmation step."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet

from actions.plan_change import PENDING_SLOT, ActionProposePlanChange
from actions.plans import ActionListPlans, ActionRecommendPlan
from bot.wiring import Services
from tests.unit.plans_support import CONVERSATION, fake_billing, recorded, run
from tests.unit.trackers import C1, C2, C3, C5, responses, sent


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
    async def test_customer_3_is_advised_p58_saving_34_25_from_six_months(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(ActionRecommendPlan, services, domain, C3)
        message = sent(dispatcher, "utter_recommend_change")
        assert {
            k: message[k]
            for k in ("months", "plan", "fee", "avg", "difference", "data", "voice", "sms")
        } == {
            "months": 6,
            "plan": "Plus 58",
            "fee": "58.00",
            "avg": "92.25",
            "difference": "so you would save 34.25 yuan a month",
            "data": "30.9",
            "voice": "156",
            "sms": "24",
        }
        assert events == [SlotSet("recommended_plan", "P58")]

    async def test_customer_1_keeps_his_plan(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(ActionRecommendPlan, services, domain, C1)
        message = sent(dispatcher, "utter_recommend_keep")
        assert (message["plan"], message["data"], message["voice"], message["sms"]) == (
            "Plus 58",
            "35.6",
            "177",
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
            "19.58",
            "that is 18.42 yuan a month more, but you would stay within your allowance",
        )

    async def test_fewer_months_are_used_as_they_are_and_counted(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        fake_billing(services).history[C3] = fake_billing(services).history[C3][-2:]
        dispatcher, _ = await run(ActionRecommendPlan, services, domain, C3)
        message = sent(dispatcher, "utter_recommend_change")
        assert (message["months"], message["avg"]) == (2, "102.75")  # September, October

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
