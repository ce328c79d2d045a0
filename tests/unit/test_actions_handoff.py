"""Handing a conversation to a person, fallbacks, and the session start."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionFallback, ActionHandoff, consecutive_fallbacks
from actions.session import ActionSessionStart
from bot.domain.ids import issue_web_session
from bot.handoff.queue import Handoff, HandoffReason, HandoffStatus
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService, FakeHandoffQueue
from tests.unit.trackers import (
    C1,
    C2,
    C4,
    IDENTITY_SECRET,
    STRANGER,
    action,
    make_tracker,
    responses,
    signed,
    user,
)


class BrokenHandoffQueue(FakeHandoffQueue):
    """A queue whose store is unreachable."""

    async def create(self, *args: Any, **kwargs: Any) -> Handoff:
        raise ConnectionError("handoff store is down")


def cases(services: Services) -> list[Handoff]:
    assert isinstance(services.handoff, FakeHandoffQueue)
    return services.handoff.cases


class TestHandoff:
    async def test_case_is_queued_and_the_conversation_paused(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(
            C1, text="转人工", intent="human_handoff", sender_id=C1, slots={"language": "zh"}
        )
        events = await ActionHandoff(services=services).run(dispatcher, tracker, domain)
        assert responses(dispatcher) == ["utter_handoff"]
        assert events == [ConversationPaused()]
        [case] = cases(services)
        assert (
            case.conversation_id,
            case.msisdn,
            case.channel,
            case.language,
            case.reason,
            case.status,
        ) == (C1, C1, "sms", "zh", HandoffReason.CUSTOMER_REQUEST, HandoffStatus.WAITING)

    async def test_rest_conversation_has_no_number(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        web = issue_web_session(IDENTITY_SECRET)
        claimed = {"msisdn": C1, "channel": "sms"}
        tracker = make_tracker(C1, channel="rest", metadata=claimed, sender_id=web)
        await ActionHandoff(services=services).run(CollectingDispatcher(), tracker, domain)
        [case] = cases(services)
        assert (case.msisdn, case.channel, case.language) == (None, "rest", "en")

    async def test_asking_twice_keeps_one_case(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        for _ in range(2):
            await ActionHandoff(services=services).run(
                CollectingDispatcher(), make_tracker(C1, sender_id=C1), domain
            )
        assert len(cases(services)) == 1

    async def test_queue_down_apologises_and_does_not_pause(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        broken = replace(services, handoff=BrokenHandoffQueue())
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(C1, sender_id=C1)
        events = await ActionHandoff(services=broken).run(dispatcher, tracker, domain)
        assert responses(dispatcher) == ["utter_service_unavailable"]
        assert events == []


FALLBACK_INTENTS = {"nlu_fallback", "out_of_scope"}


def fallback_history(*intents: str) -> list[dict[str, Any]]:
    """Earlier turns, each answered as the rules answer it (fallbacks by action_fallback)."""
    history: list[dict[str, Any]] = []
    for i, intent in enumerate(intents):
        answer = "action_fallback" if intent in FALLBACK_INTENTS else f"action_for_{intent}"
        history += [user(f"message {i}", intent), action(answer), action("action_listen")]
    return history


class TestFallback:
    async def test_first_fallback_shows_what_the_bot_can_do(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(
            C1, text="asdf", intent="nlu_fallback", history=fallback_history("check_balance")
        )
        events = await ActionFallback(services=services).run(dispatcher, tracker, domain)
        assert responses(dispatcher) == ["utter_out_of_scope"]
        assert events == []
        assert cases(services) == []

    async def test_second_fallback_in_a_row_hands_over(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(
            C1,
            text="???",
            intent="out_of_scope",
            history=fallback_history("nlu_fallback"),
            sender_id=C1,
        )
        events = await ActionFallback(services=services).run(dispatcher, tracker, domain)
        assert responses(dispatcher) == ["utter_handoff_after_fallbacks"]
        assert events == [ConversationPaused()]
        assert [c.reason for c in cases(services)] == [HandoffReason.REPEATED_FALLBACK]

    async def test_an_understood_message_resets_the_count(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(
            C1,
            text="???",
            intent="nlu_fallback",
            history=fallback_history("nlu_fallback", "check_usage"),
        )
        await ActionFallback(services=services).run(dispatcher, tracker, domain)
        assert responses(dispatcher) == ["utter_out_of_scope"]

    def test_counts_only_the_latest_run(self) -> None:
        tracker = make_tracker(
            C1,
            intent="nlu_fallback",
            history=fallback_history("nlu_fallback", "greet", "out_of_scope", "nlu_fallback"),
        )
        assert consecutive_fallbacks(tracker) == 3

    def test_an_off_topic_answer_taken_by_a_form_does_not_count(self) -> None:
        history = [user("望京西园", "out_of_scope"), action("complaint_form")]
        tracker = make_tracker(C1, intent="out_of_scope", history=history)
        assert consecutive_fallbacks(tracker) == 1

    @pytest.mark.parametrize("event", ["resume", "session_started", "restart"])
    def test_count_restarts_after_a_handoff_or_a_new_session(self, event: str) -> None:
        history = [*fallback_history("nlu_fallback"), {"event": event}]
        tracker = make_tracker(C1, intent="nlu_fallback", history=history)
        assert consecutive_fallbacks(tracker) == 1


def session_tracker(slots: dict[str, Any]) -> Tracker:
    """The tracker action_session_start sees: the first message's metadata in a slot."""
    return make_tracker(None, slots=slots, channel="sms", metadata={})


class TestSessionStart:
    async def run(
        self, services: Services, domain: dict[str, Any], slots: dict[str, Any]
    ) -> list[dict[str, Any]]:
        action = ActionSessionStart(services=services, today=lambda: TODAY)
        return await action.run(CollectingDispatcher(), session_tracker(slots), domain)

    async def test_profile_language_of_a_chinese_customer(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        metadata = signed(C2)
        events = await self.run(services, domain, {"session_started_metadata": metadata})
        assert events == [
            SessionStarted(),
            SlotSet("session_started_metadata", metadata),
            SlotSet("language", "zh"),
            ActionExecuted("action_listen"),
        ]

    async def test_profile_language_of_an_english_customer(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        events = await self.run(services, domain, {"session_started_metadata": signed(C4)})
        assert SlotSet("language", "en") in events

    async def test_language_of_the_conversation_carries_over(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        metadata = signed(C2)
        events = await self.run(
            services, domain, {"language": "en", "session_started_metadata": metadata}
        )
        assert [e for e in events if e.get("name") == "language"] == [SlotSet("language", "en")]

    async def test_other_slots_do_not_survive(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        events = await self.run(
            services, domain, {"pending_plan": "P58", "complaint_category": "network"}
        )
        assert events == [SessionStarted(), ActionExecuted("action_listen")]

    async def test_no_language_without_a_known_sms_number(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        unsigned = {"msisdn": C2, "channel": "sms"}
        for metadata in (
            signed(STRANGER),
            signed(C2, channel="rest"),
            {"channel": "sms"},
            unsigned,
        ):
            events = await self.run(services, domain, {"session_started_metadata": metadata})
            assert all(e.get("name") != "language" for e in events), metadata

    async def test_billing_down_starts_without_a_language(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        assert isinstance(services.billing, FakeBillingService)
        services.billing.down = True
        metadata = signed(C2)
        events = await self.run(services, domain, {"session_started_metadata": metadata})
        assert events == [
            SessionStarted(),
            SlotSet("session_started_metadata", metadata),
            ActionExecuted("action_listen"),
        ]
