"""Transfers and presence on a real SQLite database: holders, supervisors, the change log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.console.access.accounts import AgentAccounts
from bot.console.access.sessions import SessionStore
from bot.handoff.desk_events import DeskEvent, DeskEventKind, DeskEventLog
from bot.handoff.presence import PresenceError, PresenceStore
from bot.handoff.queue import HandoffReason, HandoffStatus
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.transfer import CaseTransfers, TransferError
from bot.state.desk_tables import CaseTransferRow
from bot.state.schema import migrate
from bot.storage.db import make_engine

NOW = dt.datetime(2026, 12, 7, 10, 0)
PASSWORD = "correct horse battery"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'state.db'}")
    migrate(engine)
    accounts = AgentAccounts(engine)
    for name in ("ann", "bob", "sue"):
        accounts.add(name, PASSWORD)
    return engine


async def transfer_events(engine: Engine) -> list[DeskEvent]:
    """The log's transfers (the queue logs openings and claims too)."""
    kind = DeskEventKind.CASE_TRANSFERRED.value
    return [e for e in await DeskEventLog(engine).since(0) if e.kind == kind]


async def claimed_case(engine: Engine, agent: str = "ann") -> int:
    queue = SqlHandoffQueue(engine, clock=lambda: NOW)
    case = await queue.create(
        "+8613800000001", "+8613800000001", "sms", "zh", HandoffReason.CUSTOMER_REQUEST
    )
    await queue.claim(case.id, agent)
    return case.id


class TestTransfer:
    async def test_the_holder_hands_a_case_to_another_agent_with_a_note(
        self, engine: Engine
    ) -> None:
        case_id = await claimed_case(engine)
        transfers = CaseTransfers(engine, clock=lambda: NOW)
        done = await transfers.transfer(case_id, "ann", "bob", "  billing question, VIP  ")
        assert (done.from_agent, done.to_agent, done.note) == (
            "ann",
            "bob",
            "billing question, VIP",
        )
        case = await SqlHandoffQueue(engine).get(case_id)
        assert (case.status, case.claimed_by, case.claimed_at) == (
            HandoffStatus.CLAIMED,
            "bob",
            NOW,
        )
        [history] = await transfers.history(case_id)
        assert (history.by_agent, history.to_agent, history.note) == (
            "ann",
            "bob",
            "billing question, VIP",
        )
        [event] = await transfer_events(engine)
        assert (event.handoff_id, event.agent) == (case_id, "bob")

    async def test_back_to_the_queue(self, engine: Engine) -> None:
        case_id = await claimed_case(engine)
        await CaseTransfers(engine).transfer(case_id, "ann", None, "")
        case = await SqlHandoffQueue(engine).get(case_id)
        assert (case.status, case.claimed_by) == (HandoffStatus.WAITING, None)
        [event] = await transfer_events(engine)
        assert event.agent is None
        with Session(engine, future=True) as s:
            [row] = s.scalars(select(CaseTransferRow))
            assert (row.from_agent, row.to_agent, row.note) == ("ann", None, None)

    async def test_only_the_holder_may_transfer(self, engine: Engine) -> None:
        case_id = await claimed_case(engine)
        with pytest.raises(TransferError, match="not claimed by bob"):
            await CaseTransfers(engine).transfer(case_id, "bob", "bob", "mine now")
        assert (await SqlHandoffQueue(engine).get(case_id)).claimed_by == "ann"
        assert await transfer_events(engine) == []

    async def test_a_supervisor_reassigns_any_open_case(self, engine: Engine) -> None:
        case_id = await claimed_case(engine)
        await CaseTransfers(engine).transfer(case_id, "sue", "bob", "ann is off", supervisor=True)
        assert (await SqlHandoffQueue(engine).get(case_id)).claimed_by == "bob"
        queue = SqlHandoffQueue(engine)
        waiting = await queue.create("+8613800000002", None, "sms", "en", HandoffReason.SALES)
        await CaseTransfers(engine).transfer(waiting.id, "sue", "ann", "", supervisor=True)
        assert (await queue.get(waiting.id)).claimed_by == "ann"

    @pytest.mark.parametrize(("to", "message"), [("zed", "no agent"), ("ann", "already")])
    async def test_unknown_or_same_agent_is_refused(
        self, engine: Engine, to: str, message: str
    ) -> None:
        case_id = await claimed_case(engine)
        with pytest.raises(TransferError, match=message):
            await CaseTransfers(engine).transfer(case_id, "ann", to, "")

    async def test_a_resolved_case_stays_closed(self, engine: Engine) -> None:
        case_id = await claimed_case(engine)
        await SqlHandoffQueue(engine).resolve(case_id, "ann", "done")
        with pytest.raises(TransferError, match="not open"):
            await CaseTransfers(engine).transfer(case_id, "sue", "bob", "", supervisor=True)

    async def test_a_long_note_is_refused(self, engine: Engine) -> None:
        case_id = await claimed_case(engine)
        with pytest.raises(TransferError, match="at most"):
            await CaseTransfers(engine).transfer(case_id, "ann", "bob", "x" * 1001)


class TestPresence:
    async def test_away_and_back_with_events(self, engine: Engine) -> None:
        presence = PresenceStore(engine, clock=lambda: NOW)
        assert await presence.of("ann") == "available"  # the column's default
        await presence.set("ann", "away")
        assert await presence.of("ann") == "away"
        assert (await presence.everyone())["ann"] == "away"
        [event] = await DeskEventLog(engine).since(0)
        assert (event.kind, event.agent) == (DeskEventKind.PRESENCE.value, "ann")

    async def test_unknown_agent_or_value_is_refused(self, engine: Engine) -> None:
        presence = PresenceStore(engine)
        with pytest.raises(PresenceError):
            await presence.set("zed", "away")
        with pytest.raises(PresenceError):
            await presence.set("ann", "busy")

    async def test_answering_means_available_and_seen_recently(self, engine: Engine) -> None:
        clock = [NOW]
        sessions = SessionStore(engine, clock=lambda: clock[0])
        presence = PresenceStore(engine, clock=lambda: clock[0])
        assert await presence.answering() == []  # nobody signed in
        await sessions.create("ann")
        await sessions.create("bob")
        await presence.set("bob", "away")
        assert await presence.answering() == ["ann"]
        clock[0] = NOW + dt.timedelta(minutes=11)  # ann's console has not been seen since
        assert await presence.answering() == []
