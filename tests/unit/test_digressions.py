"""Digressions: questions inside a form or a confirmation, and what a new session leaves."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.events import SlotSet as SdkSlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import plan_change, subscriptions
from actions.base import ServiceAction
from actions.complaint_form import ValidateComplaintForm
from actions.plan_change import ActionChangePlan, ActionReaskPlanChange
from actions.session import ActionSessionStart
from actions.subscriptions import ActionReaskUnsubscribe, ActionUnsubscribe
from actions.verification import ValidatePhoneVerificationForm
from bot.domain.confirmations import PLAN_CHANGE, UNSUBSCRIBE
from bot.wiring import Services
from tests.fakes import TODAY
from tests.unit.plans_support import quoted
from tests.unit.trackers import C3, C5, action, bot, make_tracker, responses, sent, user

CONVERSATION = "conversation-1"  # make_tracker's sender, on SMS


def asked(action_name: str) -> list[dict[str, Any]]:
    """History in which ``action_name`` asked its question just before the customer's reply."""
    return [action(action_name), bot(), action("action_listen")]


def digression(question: str, intent: str, answer: str, reask: str) -> list[dict[str, Any]]:
    """A question answered in passing, then the pending question asked again."""
    return [user(question, intent), action(answer), bot(), *asked(reask)]


async def run(
    action_class: type[ServiceAction],
    services: Services,
    domain: dict[str, Any],
    msisdn: str,
    **tracker_args: Any,
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    instance = action_class(services=services, today=lambda: TODAY)
    events = await instance.run(dispatcher, make_tracker(msisdn, **tracker_args), domain)
    return dispatcher, events


class TestFormsLeaveQuestionsToTheRules:
    @pytest.mark.parametrize(
        ("text", "intent"),
        [
            ("YE", "check_balance"),
            ("LL", "check_usage"),
            ("这个月账单多少", "check_bill"),  # names the bill: still a question, not a category
            ("0000", "list_subscriptions"),
            ("what can you do", "ask_capabilities"),
        ],
    )
    async def test_complaint_category_question_is_not_a_bad_answer(
        self, text: str, intent: str, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(
            C3, text=text, intent=intent, slots={"requested_slot": "complaint_category"}
        )
        form = ValidateComplaintForm(services=services)
        assert await form.extract_complaint_category(dispatcher, tracker, domain) == {}
        assert responses(dispatcher) == []  # no "please pick a category"

    async def test_a_real_category_is_still_read(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(
            C3,
            text="我的账单多扣了钱",
            intent="file_complaint",
            slots={"requested_slot": "complaint_category"},
        )
        form = ValidateComplaintForm(services=services)
        extracted = await form.extract_complaint_category(CollectingDispatcher(), tracker, domain)
        assert extracted == {"complaint_category": "billing"}

    @pytest.mark.parametrize("requested", ["verification_phone", "verification_code"])
    @pytest.mark.parametrize(("text", "intent"), [("YE", "check_balance"), ("TC", "current_plan")])
    async def test_verification_question_is_not_a_bad_number_or_code(
        self,
        requested: str,
        text: str,
        intent: str,
        services: Services,
        domain: dict[str, Any],
    ) -> None:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(
            None, text=text, intent=intent, channel="rest", slots={"requested_slot": requested}
        )
        form = ValidatePhoneVerificationForm(services=services)
        extract = getattr(form, f"extract_{requested}")
        assert await extract(dispatcher, tracker, domain) == {}
        assert responses(dispatcher) == []


class TestPlanChangeAskedAgain:
    async def proposed(self, services: Services) -> dict[str, Any]:
        quote = await quoted(services, PLAN_CHANGE, "P58", C3)
        proposal = await services.proposals.propose(
            CONVERSATION, "sms", C3, PLAN_CHANGE, "P58", quote
        )
        return {plan_change.PENDING_SLOT: proposal.id}

    async def test_the_question_is_asked_again_from_the_proposal(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        slots = await self.proposed(services)
        history = [*asked(plan_change.PROPOSE_ACTION), user("YE", "check_balance")]
        dispatcher, events = await run(
            ActionReaskPlanChange, services, domain, C3, slots=slots, history=history
        )
        message = sent(dispatcher, "utter_plan_change_confirm")
        assert (message["current"], message["plan"], message["fee"]) == (
            "Essential 38",
            "Plus 58",
            "58.00",
        )
        assert message["effective_date"] == "2026-12-01"
        assert events == []

    async def test_yes_after_the_question_asked_again_places_the_order(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        history = [
            *asked(plan_change.PROPOSE_ACTION),
            *digression("YE", "check_balance", "action_check_balance", plan_change.FLOW.ask_again),
        ]
        dispatcher, events = await run(
            ActionChangePlan,
            services,
            domain,
            C3,
            text="yes",
            intent="affirm",
            slots=await self.proposed(services),
            history=history,
        )
        assert sent(dispatcher, "utter_plan_changed")["plan"] == "Plus 58"
        assert SdkSlotSet(plan_change.PENDING_SLOT, None) in events

    async def test_yes_straight_after_an_answer_places_nothing(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        history = [*asked(plan_change.PROPOSE_ACTION), user("YE", "check_balance")]
        history += asked("action_check_balance")
        dispatcher, _ = await run(
            ActionChangePlan,
            services,
            domain,
            C3,
            text="yes",
            intent="affirm",
            slots=await self.proposed(services),
            history=history,
        )
        assert responses(dispatcher) == ["utter_nothing_to_confirm"]

    async def test_nothing_pending_is_not_asked(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        used = await self.proposed(services)
        await services.proposals.redeem(
            used[plan_change.PENDING_SLOT], CONVERSATION, "sms", PLAN_CHANGE, C3
        )
        dispatcher, events = await run(ActionReaskPlanChange, services, domain, C3, slots=used)
        assert responses(dispatcher) == []
        assert events == [SdkSlotSet(plan_change.PENDING_SLOT, None)]

    async def test_another_conversations_proposal_is_not_asked(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        slots = await self.proposed(services)
        dispatcher, _ = await run(
            ActionReaskPlanChange, services, domain, C3, slots=slots, sender_id="someone-else"
        )
        assert responses(dispatcher) == []


class TestUnsubscribeAskedAgain:
    async def proposed(self, services: Services) -> dict[str, Any]:
        quote = await quoted(services, UNSUBSCRIBE, "VRBT", C5)
        proposal = await services.proposals.propose(
            CONVERSATION, "sms", C5, UNSUBSCRIBE, "VRBT", quote
        )
        return {subscriptions.PENDING_SLOT: proposal.id}

    async def test_asked_again_then_confirmed(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        slots = await self.proposed(services)
        dispatcher, _ = await run(ActionReaskUnsubscribe, services, domain, C5, slots=slots)
        assert sent(dispatcher, "utter_unsubscribe_confirm")["name"] == "Video ringback tone"
        history = [
            *asked(subscriptions.PROPOSE_ACTION),
            *digression(
                "0000",
                "list_subscriptions",
                "action_list_subscriptions",
                subscriptions.FLOW.ask_again,
            ),
        ]
        dispatcher, _ = await run(
            ActionUnsubscribe, services, domain, C5, text="yes", slots=slots, history=history
        )
        assert sent(dispatcher, "utter_unsubscribed")["name"] == "Video ringback tone"


class TestAbandonedFormsEndWithTheSession:
    async def test_a_new_session_ends_the_form_and_forgets_its_slots(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        """Hours later a message is a new request: the form and its slots are gone."""
        rasa_domain = Domain.from_dict(domain)
        tracker = DialogueStateTracker.from_events(
            CONVERSATION,
            [
                UserUttered("我想投诉", {"name": "file_complaint"}),
                ActiveLoop("complaint_form"),
                SlotSet("complaint_category", "network"),
                SlotSet("requested_slot", "complaint_description"),
                SlotSet(plan_change.PENDING_SLOT, "a-proposal"),
                SlotSet("language", "zh"),
            ],
            slots=rasa_domain.slots,
        )
        sdk_tracker = make_tracker(
            None,
            channel="rest",
            metadata={},
            slots={k: s.value for k, s in tracker.slots.items()},
        )
        action_ = ActionSessionStart(services=services, today=lambda: TODAY)
        events = await action_.run(CollectingDispatcher(), sdk_tracker, domain)
        for event in events:
            tracker.update(Event.from_parameters(event))
        assert tracker.active_loop_name is None
        assert tracker.get_slot("complaint_category") is None
        assert tracker.get_slot("requested_slot") is None
        assert tracker.get_slot(plan_change.PENDING_SLOT) is None
        assert tracker.get_slot("language") == "zh"
