"""The handoff queue on the project's SQLite database."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.handoff.queue import HandoffError, HandoffReason, HandoffStatus
from bot.handoff.queue_sql import SqlHandoffQueue
from tests.fakes import NOW
from tests.integration.conftest import Clock

C1 = "+8613800000001"


async def queue_case(handoffs: SqlHandoffQueue, conversation: str = "conv-1") -> int:
    case = await handoffs.create(
        conversation, C1, "sms", "zh", HandoffReason.CUSTOMER_REQUEST, "asked for a person"
    )
    return case.id


class TestCreate:
    async def test_new_case_waits(self, handoffs: SqlHandoffQueue) -> None:
        case = await handoffs.create("conv-1", C1, "sms", "zh", HandoffReason.REPEATED_FALLBACK)
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
        ) == (
            "conv-1",
            C1,
            "sms",
            "zh",
            HandoffReason.REPEATED_FALLBACK,
            None,
            HandoffStatus.WAITING,
            NOW,
            None,
        )

    async def test_same_open_case_for_one_conversation(self, handoffs: SqlHandoffQueue) -> None:
        first = await handoffs.create("conv-1", C1, "sms", "zh", HandoffReason.CUSTOMER_REQUEST)
        again = await handoffs.create(
            "conv-1", C1, "sms", "en", HandoffReason.COMPLAINT_ESCALATION, "TK2611280001"
        )
        assert again == first
        assert [c.id for c in await handoffs.waiting()] == [first.id]

    async def test_claimed_case_is_still_the_open_one(self, handoffs: SqlHandoffQueue) -> None:
        case_id = await queue_case(handoffs)
        await handoffs.claim(case_id, "alice")
        assert (await queue_case(handoffs)) == case_id

    async def test_other_conversations_get_their_own(self, handoffs: SqlHandoffQueue) -> None:
        assert await queue_case(handoffs, "conv-1") != await queue_case(handoffs, "conv-2")

    async def test_rest_case_without_a_number(self, handoffs: SqlHandoffQueue) -> None:
        case = await handoffs.create("web-1", None, "rest", "en", HandoffReason.CUSTOMER_REQUEST)
        assert case.msisdn is None
        assert await handoffs.open_case("web-1") == case


async def test_waiting_oldest_first(handoffs: SqlHandoffQueue, clock: Clock) -> None:
    clock.now = NOW + dt.timedelta(minutes=5)
    later = await queue_case(handoffs, "conv-late")
    clock.now = NOW
    earlier = await queue_case(handoffs, "conv-early")
    assert [c.id for c in await handoffs.waiting()] == [earlier, later]


class TestClaim:
    async def test_claim_gives_the_case_to_the_agent(self, handoffs: SqlHandoffQueue) -> None:
        case = await handoffs.claim(await queue_case(handoffs), "alice")
        assert (case.status, case.claimed_by) == (HandoffStatus.CLAIMED, "alice")
        assert await handoffs.waiting() == []

    async def test_claim_is_exclusive(self, handoffs: SqlHandoffQueue) -> None:
        case_id = await queue_case(handoffs)
        await handoffs.claim(case_id, "alice")
        with pytest.raises(HandoffError):
            await handoffs.claim(case_id, "bob")
        still = await handoffs.open_case("conv-1")
        assert still is not None
        assert (still.id, still.claimed_by) == (case_id, "alice")

    async def test_unknown_case(self, handoffs: SqlHandoffQueue) -> None:
        with pytest.raises(HandoffError):
            await handoffs.claim(999, "alice")


class TestResolve:
    async def test_only_the_claiming_agent_resolves(self, handoffs: SqlHandoffQueue) -> None:
        case_id = await queue_case(handoffs)
        await handoffs.claim(case_id, "alice")
        with pytest.raises(HandoffError):
            await handoffs.resolve(case_id, "bob", "done")
        case = await handoffs.resolve(case_id, "alice", "explained the bill")
        assert case.status == HandoffStatus.RESOLVED
        assert await handoffs.open_case("conv-1") is None

    async def test_waiting_case_cannot_be_resolved(self, handoffs: SqlHandoffQueue) -> None:
        case_id = await queue_case(handoffs)
        with pytest.raises(HandoffError):
            await handoffs.resolve(case_id, "alice", "done")

    async def test_resolved_case_cannot_be_resolved_again(self, handoffs: SqlHandoffQueue) -> None:
        case_id = await queue_case(handoffs)
        await handoffs.claim(case_id, "alice")
        await handoffs.resolve(case_id, "alice", "done")
        with pytest.raises(HandoffError):
            await handoffs.resolve(case_id, "alice", "again")

    async def test_after_resolving_a_new_case_is_opened(self, handoffs: SqlHandoffQueue) -> None:
        case_id = await queue_case(handoffs)
        await handoffs.claim(case_id, "alice")
        await handoffs.resolve(case_id, "alice", "done")
        assert await queue_case(handoffs) != case_id
