"""Place in the queue and the wait estimate (median time-to-claim over the last 7 days)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from bot.handoff.estimate import QueueStanding, estimate_minutes
from bot.handoff.hours import DeskHours
from bot.handoff.queue import HandoffReason
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.staffing import DeskStaffing, DeskState
from bot.handoff.wait_answers import WaitAnswers, unanswered_question
from tests.fakes.rasa_api import FakeRasaAdmin
from tests.fakes.services import memory_engine
from tests.unit.trackers import user

START = dt.datetime(2026, 12, 7, 10, 0)


class TestEstimate:
    def test_median_times_place_in_whole_minutes(self) -> None:
        # Median of 60, 120 and 600 s is 120 s: the 3rd in line waits about 6 minutes.
        assert estimate_minutes(3, [600.0, 60.0, 120.0]) == 6
        assert estimate_minutes(1, [90.0]) == 2  # 1.5 minutes, rounded up
        assert estimate_minutes(1, [5.0]) == 1  # never "0 minutes"

    def test_no_history_no_estimate(self) -> None:
        assert estimate_minutes(2, []) is None


class Desk:
    """A real queue on SQLite with a clock the test moves."""

    def __init__(self) -> None:
        self.now = START
        engine = memory_engine()
        self.queue = SqlHandoffQueue(engine, clock=lambda: self.now)
        self.standing = QueueStanding(engine, clock=lambda: self.now)

    async def case(self, name: str, reason: HandoffReason = HandoffReason.CUSTOMER_REQUEST) -> int:
        self.now += dt.timedelta(minutes=1)
        case = await self.queue.create(f"+86138000000{name}", None, "sms", "zh", reason)
        return case.id


class TestStanding:
    async def test_place_follows_the_queue_order(self) -> None:
        desk = Desk()
        first = await desk.case("01")
        second = await desk.case("02")
        escalated = await desk.case("03", HandoffReason.COMPLAINT_ESCALATION)
        places = [(await desk.standing.of_case(c)) for c in (first, second, escalated)]
        assert [p.place if p else None for p in places] == [2, 3, 1]
        assert {p.waiting for p in places if p} == {3}
        mine = await desk.standing.of_conversation("+8613800000002")
        assert mine is not None and (mine.case_id, mine.place) == (second, 3)

    async def test_no_recent_claims_means_no_estimate(self) -> None:
        desk = Desk()
        await desk.case("01")
        standing = await desk.standing.of_conversation("+8613800000001")
        assert standing is not None and standing.minutes is None
        assert await desk.standing.waiting_now() == (1, None)

    async def test_estimate_from_claims_of_the_last_seven_days(self) -> None:
        desk = Desk()
        old = await desk.case("90")
        desk.now += dt.timedelta(hours=5)  # a 5-hour wait, claimed over 7 days before the question
        await desk.queue.claim(old, "ann")
        desk.now += dt.timedelta(days=2)
        for name, waited in (("91", 2), ("92", 4), ("93", 10)):  # minutes to claim
            case = await desk.case(name)
            desk.now += dt.timedelta(minutes=waited)
            await desk.queue.claim(case, "ann")
        desk.now += dt.timedelta(days=5, hours=12)  # the 5-hour wait is 7.5 days old now
        await desk.case("01")
        await desk.case("02")
        second = await desk.standing.of_conversation("+8613800000002")
        # Median of 2, 4 and 10 minutes (not the 5 hours) is 4: second in line, 8 minutes.
        assert second is not None and (second.place, second.minutes) == (2, 8)
        assert await desk.standing.waiting_now() == (2, 12)

    async def test_a_claimed_case_has_no_standing(self) -> None:
        desk = Desk()
        case = await desk.case("01")
        await desk.queue.claim(case, "ann")
        assert await desk.standing.of_case(case) is None
        assert await desk.standing.of_conversation("+8613800000001") is None


class TestAnswersWhileWaiting:
    """A waiting customer is paused: the console answers their wait question."""

    async def test_asked_after_the_pause_is_answered_once_in_their_script(
        self, domain: dict[str, Any]
    ) -> None:
        desk = Desk()
        conversation = "+8613800000001"
        case = await desk.case("01")
        rasa = FakeRasaAdmin()
        rasa.conversations[conversation] = [
            user("转人工", "human_handoff"),
            {"event": "pause"},
            user("還要等多久", "ask_wait_time"),
        ]
        answers = WaitAnswers(desk.queue, desk.standing, rasa, domain, clock=lambda: desk.now)
        await answers.tick()
        [(to, answer)] = rasa.delivered
        assert to == conversation and rasa.delivered_on == ["sms"]
        assert answer["text"].startswith("您現在排在第1位")  # Traditional, as asked
        assert "無法估計" in answer["text"]  # no history: said honestly
        await answers.tick()
        assert len(rasa.delivered) == 1  # answered once
        await desk.queue.claim(case, "ann")
        rasa.conversations[conversation].append(user("还要等多久", "ask_wait_time"))
        await answers.tick()
        assert len(rasa.delivered) == 1  # claimed: the agent answers

    def test_a_question_before_the_handoff_is_not_one_to_answer(self) -> None:
        events = [user("要排多久", "ask_wait_time"), {"event": "pause"}, user("你好", "greet")]
        assert unanswered_question(events) is None


class ClosedDesk:
    """Staffing whose desk is closed now (03:00 Beijing time; it opens at 09:00)."""

    async def state(self) -> DeskState:
        hours = DeskHours()
        now = dt.datetime(2026, 12, 8, 3, 0, tzinfo=hours.zone)
        return DeskState(False, 0, hours.next_opening(now), hours.local(now))


async def test_while_the_desk_is_closed_the_answer_says_when_it_opens(
    domain: dict[str, Any],
) -> None:
    desk = Desk()
    conversation = "+8613800000001"
    await desk.case("01")
    rasa = FakeRasaAdmin()
    rasa.conversations[conversation] = [
        user("转人工", "human_handoff"),
        {"event": "pause"},
        user("how long will this take?", "ask_wait_time"),
    ]
    staffing = cast(DeskStaffing, ClosedDesk())
    answers = WaitAnswers(
        desk.queue, desk.standing, rasa, domain, clock=lambda: desk.now, staffing=staffing
    )
    await answers.tick()
    [(_to, answer)] = rasa.delivered
    assert answer["text"].startswith("您现在排在第1位")  # the case's language (zh)
    assert "非工作时间" in answer["text"] and "09:00" in answer["text"]
