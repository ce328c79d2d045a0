"""Forged trackers, handoff cases and ratings: what a caller of the action server
claims changes nothing by itself.

Each forgery is the tracker a caller could post (a slot set by hand, someone else's
proposal, a replay, a made-up channel, a rating with nothing to rate); each test
shows that no order, unsubscription, case or rating came of it, next to the genuine
journey that does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rasa_sdk.events import ConversationPaused
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from actions.complaints import ActionFileComplaint
from actions.handoff import ActionHandoff
from actions.rating import ActionStoreRating
from bot.billing.port import ComplaintCategory
from bot.domain.ids import issue_web_session
from bot.handoff.queue import HandoffError, HandoffReason
from bot.state.tables import RatingRow
from bot.wiring import Services
from tests.fakes import Clock
from tests.unit.forged.conftest import CONVERSATION, billing, run
from tests.unit.trackers import C5, IDENTITY_SECRET, make_tracker, responses

WEB = issue_web_session(IDENTITY_SECRET)
OTHER_SERVERS_WEB = issue_web_session("another-secret")


class TestHandoffChannel:
    async def ask(
        self, services: Services, domain: dict[str, Any], channel: str | None, sender: str
    ) -> tuple[list[str | None], list[dict[str, Any]]]:
        tracker = make_tracker(
            None, "a person please", "human_handoff", channel or "", metadata={}, sender_id=sender
        )
        if channel is None:
            tracker.events[-1]["input_channel"] = None
        dispatcher, events = await run(ActionHandoff, services, domain, tracker)
        return responses(dispatcher), events

    @pytest.mark.parametrize(
        ("channel", "sender"), [("sms", C5), ("telegram", "tg-42"), ("rest", WEB)]
    )
    async def test_a_case_is_recorded_with_the_conversations_channel(
        self, world: tuple[Services, Engine], domain: dict[str, Any], channel: str, sender: str
    ) -> None:
        services, _ = world
        said, events = await self.ask(services, domain, channel, sender)
        assert (said, events) == (["utter_handoff"], [ConversationPaused()])
        [case] = await services.handoff.all_cases()
        assert (case.conversation_id, case.channel) == (sender, channel)

    @pytest.mark.parametrize(
        ("channel", "sender"),
        [
            ("carrier-pigeon", C5),  # no such channel
            ("sms\r\nX-Injected: 1", C5),
            ("SMS", C5),
            (None, C5),
            ("sms", "tg-42"),  # another channel's conversation
            ("telegram", C5),
            ("rest", C5),
            ("sms", "conversation-1"),  # nobody's conversation
            ("rest", "web-forged"),
            ("rest", OTHER_SERVERS_WEB),  # the form of a web id, not our MAC
        ],
    )
    async def test_no_case_for_a_channel_the_conversation_is_not_on(
        self,
        world: tuple[Services, Engine],
        domain: dict[str, Any],
        channel: str | None,
        sender: str,
    ) -> None:
        services, _ = world
        said, events = await self.ask(services, domain, channel, sender)
        assert (said, events) == (["utter_service_unavailable"], [])
        assert await services.handoff.all_cases() == []

    async def test_an_escalated_complaint_gets_its_ticket_but_no_case(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        await services.billing.create_ticket(C5, ComplaintCategory.NETWORK, "earlier", None, False)
        slots = {"complaint_category": "network", "complaint_description": "No signal"}
        tracker = make_tracker(C5, text="yes", slots=slots, sender_id="forged-conversation")
        dispatcher, events = await run(ActionFileComplaint, services, domain, tracker)
        assert responses(dispatcher) == ["utter_complaint_filed"]
        assert ConversationPaused() not in events
        assert billing(services).ticket_list[-1].escalated
        assert await services.handoff.all_cases() == []

    @pytest.mark.parametrize("channel", ["carrier-pigeon", "", "REST"])
    async def test_the_queue_itself_refuses_an_unknown_channel(
        self, world: tuple[Services, Engine], channel: str
    ) -> None:
        services, _ = world
        with pytest.raises(HandoffError):
            await services.handoff.create(C5, C5, channel, "en", HandoffReason.CUSTOMER_REQUEST)
        assert await services.handoff.all_cases() == []


class TestRating:
    async def rate(
        self,
        services: Services,
        domain: dict[str, Any],
        rating: str = "satisfied",
        sender: str = CONVERSATION,
    ) -> list[str | None]:
        tracker = make_tracker(
            C5, f'/rate_service{{"rating": "{rating}"}}', "rate_service", sender_id=sender
        )
        tracker.latest_message["entities"] = [{"entity": "rating", "value": rating}]
        dispatcher, _ = await run(ActionStoreRating, services, domain, tracker)
        return responses(dispatcher)

    async def resolved_case(self, services: Services, conversation: str = CONVERSATION) -> int:
        queue = services.handoff
        case = await queue.create(conversation, C5, "sms", "en", HandoffReason.CUSTOMER_REQUEST)
        await queue.claim(case.id, "ann")
        await queue.resolve(case.id, "ann", "done")
        return case.id

    def stored(self, engine: Engine) -> list[tuple[str, str, int | None]]:
        with Session(engine) as session:
            rows = session.scalars(select(RatingRow).order_by(RatingRow.id))
            return [(r.conversation_id, r.rating, r.handoff_id) for r in rows]

    async def test_a_resolved_case_is_rated_once(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, engine = world
        case_id = await self.resolved_case(services)
        assert await self.rate(services, domain) == ["utter_thanks_for_rating"]
        assert await self.rate(services, domain, "unsatisfied") == ["utter_thanks_for_rating"]
        assert self.stored(engine) == [(CONVERSATION, "satisfied", case_id)]

    async def test_a_rating_in_words_is_stored(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, engine = world
        case_id = await self.resolved_case(services)
        text = "服務態度唔錯，俾你五粒星"
        tracker = make_tracker(C5, text, "rate_service", sender_id=CONVERSATION)
        dispatcher, _ = await run(ActionStoreRating, services, domain, tracker)
        assert responses(dispatcher) == ["utter_thanks_for_rating"]
        assert self.stored(engine) == [(CONVERSATION, "satisfied", case_id)]

    async def test_words_without_a_rating_store_nothing(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, engine = world
        await self.resolved_case(services)
        tracker = make_tracker(C5, "about the agent", "rate_service", sender_id=CONVERSATION)
        dispatcher, _ = await run(ActionStoreRating, services, domain, tracker)
        assert responses(dispatcher) == ["utter_menu"]
        assert self.stored(engine) == []

    async def test_each_case_gets_its_own_rating(
        self, world: tuple[Services, Engine], clock: Clock, domain: dict[str, Any]
    ) -> None:
        services, engine = world
        first = await self.resolved_case(services)
        await self.rate(services, domain)
        clock.now += dt.timedelta(hours=1)
        second = await self.resolved_case(services)
        await self.rate(services, domain, "neutral")
        assert [r[1:] for r in self.stored(engine)] == [("satisfied", first), ("neutral", second)]

    async def test_no_rating_without_a_case(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, engine = world
        assert await self.rate(services, domain) == ["utter_menu"]
        assert self.stored(engine) == []

    async def test_no_rating_while_the_case_is_open(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, engine = world
        await services.handoff.create(CONVERSATION, C5, "sms", "en", HandoffReason.CUSTOMER_REQUEST)
        assert await self.rate(services, domain) == ["utter_menu"]
        assert self.stored(engine) == []

    async def test_no_rating_for_another_conversations_case(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, engine = world
        await self.resolved_case(services, "tg-42")
        assert await self.rate(services, domain) == ["utter_menu"]
        assert self.stored(engine) == []

    async def test_no_rating_for_a_case_resolved_long_ago(
        self, world: tuple[Services, Engine], clock: Clock, domain: dict[str, Any]
    ) -> None:
        services, engine = world
        await self.resolved_case(services)
        clock.now += dt.timedelta(hours=25)
        assert await self.rate(services, domain) == ["utter_menu"]
        assert self.stored(engine) == []

    async def test_a_rating_outside_the_scale_is_not_stored(
        self, world: tuple[Services, Engine], domain: dict[str, Any]
    ) -> None:
        services, engine = world
        await self.resolved_case(services)
        assert await self.rate(services, domain, "ecstatic") == ["utter_menu"]
        assert self.stored(engine) == []
