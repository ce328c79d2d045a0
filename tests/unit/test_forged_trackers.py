"""Forged trackers: what a caller of the action server claims changes nothing by itself.

Each forgery is the tracker a caller could post (a slot set by hand, someone else's
proposal, a replay, a made-up channel, a rating with nothing to rate); each test
shows that no order, unsubscription, case or rating came of it, next to the genuine
journey that does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from actions.base import ServiceAction
from actions.complaints import ActionFileComplaint
from actions.handoff import ActionHandoff
from actions.plans import ActionChangePlan, ActionProposePlanChange
from actions.rating import ActionStoreRating
from actions.subscriptions import ActionProposeUnsubscribe, ActionUnsubscribe
from bot.billing.port import ComplaintCategory
from bot.channels.ids import issue_web_session
from bot.handoff.queue import HandoffError, HandoffQueue, HandoffReason, SqlHandoffQueue
from bot.handoff.stats import StatsStore
from bot.state.proposals import PLAN_CHANGE, UNSUBSCRIBE, ProposalStore
from bot.state.tables import RatingRow
from bot.wiring import Services
from tests.fakes import NOW, TODAY, FakeBillingService, FakeHandoffQueue, memory_engine
from tests.unit.trackers import C3, C5, IDENTITY_SECRET, action, bot, make_tracker, responses
from tests.unit.trackers import signed as signed_identity

CONVERSATION = C5  # an SMS conversation's id is the customer's number


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


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


class TestPlanChange:
    async def offer(self, services: Services, domain: dict[str, Any]) -> str:
        tracker = make_tracker(C5, text="switch me to Essential 38", sender_id=CONVERSATION)
        _, events = await run(ActionProposePlanChange, services, domain, tracker)
        return str(events[0]["value"])

    async def confirm(
        self, services: Services, domain: dict[str, Any], pending: str, **tracker_args: Any
    ) -> list[str | None]:
        tracker = reply(
            "1", {"pending_plan": pending}, "action_propose_plan_change", **tracker_args
        )
        dispatcher, _ = await run(ActionChangePlan, services, domain, tracker)
        return responses(dispatcher)

    async def test_the_genuine_journey_places_one_order(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await self.offer(services, domain)
        assert await self.confirm(services, domain, pending) == ["utter_plan_changed"]
        assert [(o.msisdn, o.to_plan) for o in billing(services).orders] == [(C5, "P38")]

    @pytest.mark.parametrize("forged", ["P38", "P128", "", "x" * 200])
    async def test_a_slot_without_a_proposal_places_no_order(
        self, services: Services, domain: dict[str, Any], forged: str
    ) -> None:
        assert await self.confirm(services, domain, forged) == ["utter_nothing_to_confirm"]
        assert billing(services).orders == []

    async def test_a_replayed_proposal_places_no_second_order(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await self.offer(services, domain)
        await self.confirm(services, domain, pending)
        assert await self.confirm(services, domain, pending) == ["utter_nothing_to_confirm"]
        assert len(billing(services).orders) == 1

    @pytest.mark.parametrize(
        ("conversation", "channel", "msisdn", "kind"),
        [
            ("+8613800000009", "sms", C5, PLAN_CHANGE),  # another conversation's
            (CONVERSATION, "telegram", C5, PLAN_CHANGE),  # offered on another channel
            (CONVERSATION, "sms", C3, PLAN_CHANGE),  # offered to another number
            (CONVERSATION, "sms", C5, UNSUBSCRIBE),  # not a plan change
        ],
    )
    async def test_a_proposal_made_elsewhere_places_no_order(
        self,
        services: Services,
        domain: dict[str, Any],
        conversation: str,
        channel: str,
        msisdn: str,
        kind: str,
    ) -> None:
        other = await services.proposals.propose(conversation, channel, msisdn, kind, "P38")
        assert await self.confirm(services, domain, other.id) == ["utter_nothing_to_confirm"]
        assert billing(services).orders == []

    async def test_a_proposal_confirmed_from_another_channel_places_no_order(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await self.offer(services, domain)  # on SMS
        telegram = {"channel": "telegram", "metadata": signed_identity(C5, "telegram")}
        assert await self.confirm(services, domain, pending, **telegram) == [
            "utter_nothing_to_confirm"
        ]
        assert billing(services).orders == []

    async def test_an_expired_proposal_places_no_order(
        self, world: tuple[Services, Engine], clock: Clock, domain: dict[str, Any]
    ) -> None:
        services, _ = world
        pending = await self.offer(services, domain)
        clock.now += dt.timedelta(hours=1)
        assert await self.confirm(services, domain, pending) == ["utter_nothing_to_confirm"]
        assert billing(services).orders == []


class TestUnsubscribe:
    async def offer(self, services: Services, domain: dict[str, Any]) -> str:
        tracker = make_tracker(C5, text="TD VRBT", sender_id=CONVERSATION)
        _, events = await run(ActionProposeUnsubscribe, services, domain, tracker)
        return str(events[0]["value"])

    async def confirm(
        self, services: Services, domain: dict[str, Any], pending: str
    ) -> list[str | None]:
        tracker = reply("1", {"pending_unsubscribe": pending}, "action_propose_unsubscribe")
        dispatcher, _ = await run(ActionUnsubscribe, services, domain, tracker)
        return responses(dispatcher)

    async def test_the_genuine_journey_unsubscribes_once(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        pending = await self.offer(services, domain)
        assert pending != "VRBT"
        assert await self.confirm(services, domain, pending) == ["utter_unsubscribed"]
        assert await self.confirm(services, domain, pending) == ["utter_nothing_to_confirm"]
        assert billing(services).cancelled == [(C5, "VRBT")]

    @pytest.mark.parametrize("forged", ["VRBT", "NEWS", "nonsense"])
    async def test_a_service_code_in_the_slot_unsubscribes_nothing(
        self, services: Services, domain: dict[str, Any], forged: str
    ) -> None:
        assert await self.confirm(services, domain, forged) == ["utter_nothing_to_confirm"]
        assert billing(services).cancelled == []

    @pytest.mark.parametrize(
        ("conversation", "kind"), [("tg-42", UNSUBSCRIBE), (CONVERSATION, PLAN_CHANGE)]
    )
    async def test_a_proposal_made_elsewhere_unsubscribes_nothing(
        self, services: Services, domain: dict[str, Any], conversation: str, kind: str
    ) -> None:
        other = await services.proposals.propose(conversation, "sms", C5, kind, "NEWS")
        assert await self.confirm(services, domain, other.id) == ["utter_nothing_to_confirm"]
        assert billing(services).cancelled == []


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
