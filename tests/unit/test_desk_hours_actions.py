"""Asking for a person when the desk is closed or unstaffed, and "how long will it take?"."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.engine import Engine

from actions.desk_hours import ActionWaitTime
from actions.handoff import ActionHandoff
from bot.console.access.accounts import AgentAccounts
from bot.console.access.sessions import SessionStore
from bot.domain.responses import render
from bot.handoff.estimate import QueueStanding
from bot.handoff.hours import load_desk_hours
from bot.handoff.presence import PresenceStore
from bot.handoff.queue import HandoffReason, HandoffStatus
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.staffing import DeskStaffing
from bot.services import Services
from tests.fakes.services import fake_services, memory_engine
from tests.unit.trackers import C1, make_tracker, responses, sent

UTC = dt.timezone.utc
# Monday 7 December 2026; the stores' (naive) clock and the desk's aware one agree.
MONDAY_NOON_BEIJING = dt.datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
MONDAY_LATE_BEIJING = dt.datetime(2026, 12, 7, 14, 30, tzinfo=UTC)  # 22:30
FRIDAY_LATE_BEIJING = dt.datetime(2026, 12, 11, 14, 30, tzinfo=UTC)


class Desk:
    """Services with a real queue, presence and hours on one SQLite database."""

    def __init__(self, now: dt.datetime, days: str = "mon-sun") -> None:
        self.engine: Engine = memory_engine()
        self.now = now
        naive = lambda: self.now.replace(tzinfo=None)  # noqa: E731
        self.queue = SqlHandoffQueue(self.engine, clock=naive)
        staffing = DeskStaffing(
            load_desk_hours({"DESK_DAYS": days}),
            PresenceStore(self.engine, clock=naive),
            QueueStanding(self.engine, clock=naive),
            now=lambda: self.now,
        )
        self.services: Services = replace(fake_services(), handoff=self.queue, desk=staffing)
        self.sessions = SessionStore(self.engine, clock=naive)

    async def agent_signed_in(self, name: str = "ann") -> None:
        AgentAccounts(self.engine).add(name, "correct horse battery")
        await self.sessions.create(name)


def handoff_tracker(language: str = "zh", text: str = "转人工") -> Any:
    return make_tracker(
        C1, text=text, intent="human_handoff", sender_id=C1, slots={"language": language}
    )


class TestAskingForAPerson:
    async def test_open_and_staffed_hands_over_as_before(self, domain: dict[str, Any]) -> None:
        desk = Desk(MONDAY_NOON_BEIJING)
        await desk.agent_signed_in()
        dispatcher = CollectingDispatcher()
        events = await ActionHandoff(services=desk.services).run(
            dispatcher, handoff_tracker(), domain
        )
        assert responses(dispatcher) == ["utter_handoff"] and events == [ConversationPaused()]

    async def test_out_of_hours_says_when_and_the_case_still_waits(
        self, domain: dict[str, Any]
    ) -> None:
        desk = Desk(MONDAY_LATE_BEIJING)
        await desk.agent_signed_in()  # signed in, but the desk is closed
        dispatcher = CollectingDispatcher()
        events = await ActionHandoff(services=desk.services).run(
            dispatcher, handoff_tracker(), domain
        )
        assert events == [ConversationPaused()]
        message = sent(dispatcher, "utter_desk_closed")
        assert (message["opening"], message["zone"]) == ("明天09:00", "北京时间")
        text = render(domain, "utter_desk_closed", "zh", **message)
        assert "明天09:00（北京时间）" in text and "回电" in text and "留言" in text
        case = await desk.queue.open_case(C1)
        assert case is not None and case.status == HandoffStatus.WAITING
        assert case.wait_notice_at is not None  # a "CALLBACK" reply is heard from now on

    async def test_friday_night_in_english_names_monday(self, domain: dict[str, Any]) -> None:
        desk = Desk(FRIDAY_LATE_BEIJING, days="mon-fri")
        dispatcher = CollectingDispatcher()
        await ActionHandoff(services=desk.services).run(
            dispatcher, handoff_tracker("en", "agent please"), domain
        )
        message = sent(dispatcher, "utter_desk_closed")
        assert (message["opening"], message["zone"]) == ("Monday at 09:00", "Beijing time")

    async def test_nobody_available_within_hours(self, domain: dict[str, Any]) -> None:
        desk = Desk(MONDAY_NOON_BEIJING)
        await desk.agent_signed_in("ann")
        await PresenceStore(desk.engine).set("ann", "away")
        dispatcher = CollectingDispatcher()
        await ActionHandoff(services=desk.services).run(dispatcher, handoff_tracker(), domain)
        assert responses(dispatcher) == ["utter_desk_unstaffed"]
        assert await desk.queue.open_case(C1) is not None


class TestWaitQuestion:
    async def test_not_waiting_hears_the_queue_and_no_estimate_without_history(
        self, domain: dict[str, Any]
    ) -> None:
        desk = Desk(MONDAY_NOON_BEIJING)
        await desk.agent_signed_in()
        await desk.queue.create("+8613800000009", None, "sms", "zh", HandoffReason.SALES)
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(C1, text="要排多久", intent="ask_wait_time", sender_id=C1)
        await ActionWaitTime(services=desk.services).run(dispatcher, tracker, domain)
        assert sent(dispatcher, "utter_wait_no_case_no_history")["waiting"] == 1

    async def test_a_waiting_conversation_hears_its_place_and_estimate(
        self, domain: dict[str, Any]
    ) -> None:
        desk = Desk(MONDAY_NOON_BEIJING)
        await desk.agent_signed_in()
        earlier = await desk.queue.create("+8613800000009", None, "sms", "zh", HandoffReason.SALES)
        desk.now += dt.timedelta(minutes=3)
        await desk.queue.claim(earlier.id, "ann")  # 3 minutes to claim
        await desk.queue.create("+8613800000008", None, "sms", "zh", HandoffReason.SALES)
        await desk.queue.create(C1, C1, "sms", "zh", HandoffReason.CUSTOMER_REQUEST)
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(C1, text="要排多久", intent="ask_wait_time", sender_id=C1)
        await ActionWaitTime(services=desk.services).run(dispatcher, tracker, domain)
        message = sent(dispatcher, "utter_wait_place")
        assert (message["place"], message["minutes"]) == (2, 6)

    async def test_closed_desk_says_when_it_opens(self, domain: dict[str, Any]) -> None:
        desk = Desk(MONDAY_LATE_BEIJING)
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(
            C1, text="how long", intent="ask_wait_time", sender_id=C1, slots={"language": "en"}
        )
        await ActionWaitTime(services=desk.services).run(dispatcher, tracker, domain)
        assert sent(dispatcher, "utter_wait_desk_closed")["opening"] == "tomorrow at 09:00"
