"""The handoff queue's contract: ``FakeHandoffQueue`` and ``SqlHandoffQueue`` (a migrated
state database) keep cases alike, for every behaviour the action and desk tests rely on."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.handoff.queue import RATING_WINDOW, Handoff, HandoffError, HandoffQueue, HandoffReason
from bot.handoff.queue import HandoffStatus as Status
from tests.fakes import NOW, Clock

C1 = "+8613800000001"
ASKED = HandoffReason.CUSTOMER_REQUEST


async def open_one(queue: HandoffQueue, conversation: str = "conv-1") -> Handoff:
    return await queue.create(conversation, C1, "sms", "zh", ASKED, "asked for a person")


async def resolved_one(queue: HandoffQueue, conversation: str = "conv-1") -> Handoff:
    case = await open_one(queue, conversation)
    await queue.claim(case.id, "alice")
    return await queue.resolve(case.id, "alice", "done")


class TestCreate:
    async def test_a_new_case_waits(self, queue: HandoffQueue) -> None:
        case = await queue.create("conv-1", C1, "sms", "zh", HandoffReason.REPEATED_FALLBACK)
        assert (
            case.conversation_id,
            case.msisdn,
            case.channel,
            case.language,
            case.reason,
            case.detail,
            case.status,
            case.created_at,
            case.claimed_by,
            case.claimed_at,
            case.resolved_at,
            case.wait_notice_at,
            case.callback_requested,
        ) == (
            "conv-1",
            C1,
            "sms",
            "zh",
            HandoffReason.REPEATED_FALLBACK,
            None,
            Status.WAITING,
            NOW,
            None,
            None,
            None,
            None,
            False,
        )
        assert await queue.get(case.id) == case
        assert await queue.open_case("conv-1") == case

    async def test_stamped_by_the_clock(self, queue: HandoffQueue, clock: Clock) -> None:
        clock.now = NOW + dt.timedelta(minutes=7)
        assert (await open_one(queue)).created_at == clock.now

    async def test_the_open_case_of_the_conversation_is_returned(self, queue: HandoffQueue) -> None:
        first = await queue.create("conv-1", C1, "sms", "zh", ASKED)
        again = await queue.create(
            "conv-1", C1, "sms", "en", HandoffReason.COMPLAINT_ESCALATION, "TK2611280001"
        )
        assert again == first
        assert [c.id for c in await queue.all_cases()] == [first.id]

    async def test_a_claimed_case_is_still_the_open_one(self, queue: HandoffQueue) -> None:
        case = await open_one(queue)
        claimed = await queue.claim(case.id, "alice")
        assert await open_one(queue) == claimed

    async def test_other_conversations_get_their_own(self, queue: HandoffQueue) -> None:
        assert (await open_one(queue, "conv-1")).id != (await open_one(queue, "conv-2")).id

    async def test_after_resolving_a_new_case_is_opened(self, queue: HandoffQueue) -> None:
        resolved = await resolved_one(queue)
        fresh = await open_one(queue)
        assert fresh.id != resolved.id and fresh.status == Status.WAITING

    @pytest.mark.parametrize("channel", ["sms", "telegram", "rest"])
    async def test_each_channel_agents_can_reply_on(
        self, queue: HandoffQueue, channel: str
    ) -> None:
        case = await queue.create(f"{channel}-1", None, channel, "en", ASKED)
        assert (case.channel, case.msisdn) == (channel, None)

    @pytest.mark.parametrize("channel", ["email", "", "SMS", "x" * 100])
    async def test_no_case_for_another_channel(self, queue: HandoffQueue, channel: str) -> None:
        with pytest.raises(HandoffError, match="no channel"):
            await queue.create("conv-1", C1, channel, "zh", ASKED)
        assert await queue.all_cases() == []


class TestLists:
    async def test_oldest_first(self, queue: HandoffQueue, clock: Clock) -> None:
        clock.now = NOW + dt.timedelta(minutes=5)
        later = await open_one(queue, "conv-late")
        clock.now = NOW
        earlier = await open_one(queue, "conv-early")
        same_time = await open_one(queue, "conv-same")  # created with ``earlier``: by id
        expected = [earlier.id, same_time.id, later.id]
        assert [c.id for c in await queue.waiting()] == expected
        assert [c.id for c in await queue.open_cases()] == expected
        assert [c.id for c in await queue.all_cases()] == expected

    async def test_what_each_list_holds(self, queue: HandoffQueue) -> None:
        waiting = await open_one(queue, "conv-1")
        claimed = await open_one(queue, "conv-2")
        await queue.claim(claimed.id, "alice")
        resolved = await resolved_one(queue, "conv-3")
        assert [c.id for c in await queue.waiting()] == [waiting.id]
        assert [c.id for c in await queue.open_cases()] == [waiting.id, claimed.id]
        assert [c.id for c in await queue.all_cases()] == [waiting.id, claimed.id, resolved.id]
        assert await queue.open_case("conv-3") is None
        assert await queue.open_case("conv-unknown") is None

    async def test_an_unknown_case(self, queue: HandoffQueue) -> None:
        with pytest.raises(HandoffError, match="no case 999"):
            await queue.get(999)


class TestClaim:
    async def test_gives_the_case_to_the_agent(self, queue: HandoffQueue, clock: Clock) -> None:
        case = await open_one(queue)
        clock.now = NOW + dt.timedelta(minutes=2)
        claimed = await queue.claim(case.id, "alice")
        assert (claimed.status, claimed.claimed_by, claimed.claimed_at) == (
            Status.CLAIMED,
            "alice",
            clock.now,
        )
        assert await queue.get(case.id) == claimed
        assert await queue.waiting() == []

    async def test_is_exclusive(self, queue: HandoffQueue) -> None:
        case = await open_one(queue)
        await queue.claim(case.id, "alice")
        for agent in ("bob", "alice"):
            with pytest.raises(HandoffError, match="not waiting"):
                await queue.claim(case.id, agent)
        assert (await queue.get(case.id)).claimed_by == "alice"

    async def test_two_agents_at_once_one_wins(self, queue: HandoffQueue) -> None:
        case = await open_one(queue)
        results = await asyncio.gather(
            *(queue.claim(case.id, agent) for agent in ("alice", "bob", "carol")),
            return_exceptions=True,
        )
        won = [r for r in results if isinstance(r, Handoff)]
        assert len(won) == 1 and sum(isinstance(r, HandoffError) for r in results) == 2
        assert (await queue.get(case.id)).claimed_by == won[0].claimed_by

    async def test_a_resolved_or_unknown_case_cannot_be_claimed(self, queue: HandoffQueue) -> None:
        resolved = await resolved_one(queue)
        for case_id in (resolved.id, 999):
            with pytest.raises(HandoffError, match="not waiting"):
                await queue.claim(case_id, "bob")


class TestResolve:
    async def test_by_the_claiming_agent_only(self, queue: HandoffQueue, clock: Clock) -> None:
        case = await open_one(queue)
        await queue.claim(case.id, "alice")
        with pytest.raises(HandoffError, match="not claimed by bob"):
            await queue.resolve(case.id, "bob", "done")
        clock.now = NOW + dt.timedelta(minutes=9)
        resolved = await queue.resolve(case.id, "alice", "explained the bill")
        assert (resolved.status, resolved.claimed_by, resolved.resolved_at) == (
            Status.RESOLVED,
            "alice",
            clock.now,
        )
        assert await queue.open_case("conv-1") is None

    async def test_a_waiting_resolved_or_unknown_case_cannot_be_resolved(
        self, queue: HandoffQueue
    ) -> None:
        waiting = await open_one(queue, "conv-1")
        resolved = await resolved_one(queue, "conv-2")
        for case_id in (waiting.id, resolved.id, 999):
            with pytest.raises(HandoffError, match="not claimed by alice"):
                await queue.resolve(case_id, "alice", "again")


class TestLastResolved:
    async def test_the_latest_within_the_window(self, queue: HandoffQueue, clock: Clock) -> None:
        assert await queue.last_resolved("conv-1") is None
        await resolved_one(queue)
        clock.now = NOW + dt.timedelta(hours=1)
        latest = await resolved_one(queue)
        await resolved_one(queue, "conv-2")
        assert await queue.last_resolved("conv-1") == latest
        assert latest.resolved_at is not None
        clock.now = latest.resolved_at + RATING_WINDOW
        assert await queue.last_resolved("conv-1") == latest
        clock.now += dt.timedelta(seconds=1)
        assert await queue.last_resolved("conv-1") is None
        assert await queue.last_resolved("conv-1", within=dt.timedelta(days=2)) == latest

    async def test_an_open_case_is_not_resolved(self, queue: HandoffQueue) -> None:
        case = await open_one(queue)
        await queue.claim(case.id, "alice")
        assert await queue.last_resolved("conv-1") is None


class TestNotes:
    async def test_wait_notice_stamped_by_the_clock(
        self, queue: HandoffQueue, clock: Clock
    ) -> None:
        case = await open_one(queue)
        clock.now = NOW + dt.timedelta(minutes=3)
        await queue.mark_wait_notice(case.id)
        assert (await queue.get(case.id)).wait_notice_at == clock.now

    async def test_callback_requested(self, queue: HandoffQueue) -> None:
        case = await open_one(queue)
        await queue.request_callback(case.id)
        found = await queue.get(case.id)
        assert found.callback_requested and found.status == Status.WAITING

    async def test_an_unknown_case_is_left_alone(self, queue: HandoffQueue) -> None:
        await queue.mark_wait_notice(999)
        await queue.request_callback(999)
        assert await queue.all_cases() == []
