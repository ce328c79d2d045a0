"""Canned replies (placeholders, store, seed), internal notes' store and per-agent figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.port import ComplaintCategory
from bot.console.notes.store import DeskNotes, NoteProblem
from bot.console.replies.fill import CaseValues, fill, unfilled
from bot.console.replies.latest import latest_ticket_of
from bot.console.replies.picker import filled
from bot.console.replies.store import SEEDS, CannedReplies, CannedReply, ReplyProblem
from bot.handoff.stats import StatsStore
from bot.state.desk_tables import DeskEventRow
from bot.state.schema import migrate
from bot.state.tables import HandoffRow, RatingRow
from bot.storage.db import make_engine
from tests.fakes import NOW, Clock, FakeBillingService


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    migrate(engine)
    return engine


class TestPlaceholders:
    def test_known_values_are_filled(self) -> None:
        values = CaseValues(name="Ann Li", balance="12.50", ticket="TK2611280001")
        text = fill("Hi {name}: {balance} yuan, ticket {ticket}.", values)
        assert text == "Hi Ann Li: 12.50 yuan, ticket TK2611280001."
        assert unfilled(text) == []

    def test_a_missing_value_stays_visible(self) -> None:
        text = fill("Hi {name}, ticket {ticket}, again {ticket}", CaseValues(name="Ann"))
        assert text == "Hi Ann, ticket {ticket}, again {ticket}"
        assert unfilled(text) == ["{ticket}"]

    def test_unknown_placeholders_are_left_for_the_agent(self) -> None:
        assert unfilled(fill("{plan} for {name}", CaseValues(name="Ann"))) == ["{plan}"]

    def test_the_picker_marks_what_is_missing(self) -> None:
        replies = [
            CannedReply(1, "en", "owes", "{name} owes {balance}", NOW),
            CannedReply(2, "en", "ticket", "{name}: {ticket}", NOW),
        ]
        done = filled(replies, CaseValues(name="Ann", balance="3.00"))
        assert [r.missing for r in done] == [[], ["{ticket}"]]
        assert done[0].text == "Ann owes 3.00"


class TestStore:
    async def test_seeded_once_in_both_languages(self, engine: Engine) -> None:
        store = CannedReplies(engine, clock=lambda: NOW)
        assert store.seed() == len(SEEDS)
        assert store.seed() == 0  # idempotent: a second start adds nothing
        assert {r.language for r in await store.list()} == {"en", "zh"}
        english = await store.list("en")
        assert english and all(r.language == "en" for r in english)
        assert any("{balance}" in r.body for r in english)

    async def test_add_edit_delete(self, engine: Engine) -> None:
        store = CannedReplies(engine, clock=lambda: NOW)
        reply = await store.add("en", " Thanks ", " Thank you, {name}. ", by="sue")
        assert (reply.title, reply.body) == ("Thanks", "Thank you, {name}.")
        assert await store.update(reply.id, "zh", "谢谢", "谢谢您，{name}。")
        changed = await store.get(reply.id)
        assert changed is not None and (changed.language, changed.body) == (
            "zh",
            "谢谢您，{name}。",
        )
        assert await store.delete(reply.id)
        assert await store.get(reply.id) is None
        assert not await store.delete(reply.id)
        assert not await store.update(reply.id, "en", "x", "y")

    @pytest.mark.parametrize(
        ("language", "title", "body"), [("fr", "t", "b"), ("en", " ", "b"), ("en", "t", "x" * 1001)]
    )
    async def test_bad_replies_are_refused(
        self, engine: Engine, language: str, title: str, body: str
    ) -> None:
        with pytest.raises(ReplyProblem):
            await CannedReplies(engine).add(language, title, body, by="sue")
        assert await CannedReplies(engine).list() == []


async def test_latest_ticket_comes_from_billing() -> None:
    billing = FakeBillingService(clock=Clock())
    latest = latest_ticket_of(billing)
    msisdn = "+8613800000001"
    assert await latest(msisdn) is None
    await billing.create_ticket(msisdn, ComplaintCategory.NETWORK, "no signal", None, False)
    newest = await billing.create_ticket(msisdn, ComplaintCategory.BILLING, "bill", None, False)
    assert await latest(msisdn) == newest.ticket_id


class TestNotes:
    async def test_notes_are_kept_and_logged(self, engine: Engine) -> None:
        notes = DeskNotes(engine, clock=lambda: NOW)
        await notes.add("ann", " called back, no answer ", handoff_id=7)
        await notes.add("bob", "second try", handoff_id=7)
        await notes.add("ann", "on the ticket", ticket_id="TK2611280001")
        case = await notes.of_case(7)
        assert [(n.agent, n.body) for n in case] == [
            ("ann", "called back, no answer"),
            ("bob", "second try"),
        ]
        assert [n.body for n in await notes.of_ticket("TK2611280001")] == ["on the ticket"]
        with Session(engine) as s:
            kinds = [(e.kind, e.handoff_id, e.ticket_id) for e in s.scalars(select(DeskEventRow))]
        assert kinds == [
            ("note_added", 7, None),
            ("note_added", 7, None),
            ("note_added", None, "TK2611280001"),
        ]

    @pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
    async def test_empty_or_long_notes_are_refused(self, engine: Engine, body: str) -> None:
        with pytest.raises(NoteProblem):
            await DeskNotes(engine).add("ann", body, handoff_id=1)
        assert await DeskNotes(engine).of_case(1) == []


def _case(s: Session, agent: str | None, claim_s: int, resolve_s: int | None) -> int:
    claimed = NOW + dt.timedelta(seconds=claim_s) if agent else None
    row = HandoffRow(
        conversation_id="c",
        channel="sms",
        language="en",
        reason="customer_request",
        status="resolved" if resolve_s is not None else "claimed",
        created_at=NOW,
        claimed_by=agent,
        claimed_at=claimed,
        resolved_at=claimed + dt.timedelta(seconds=resolve_s) if claimed and resolve_s else None,
    )
    s.add(row)
    s.flush()
    return int(row.id)


async def test_figures_per_agent(engine: Engine) -> None:
    with Session(engine) as s:
        a1 = _case(s, "ann", 60, 600)
        _case(s, "ann", 120, 300)
        _case(s, "ann", 300, None)
        b1 = _case(s, "bob", 30, 90)
        _case(s, None, 0, None)  # still waiting: nobody's
        s.add(RatingRow(conversation_id="c", rating="satisfied", handoff_id=a1, created_at=NOW))
        s.add(RatingRow(conversation_id="c", rating="unsatisfied", handoff_id=b1, created_at=NOW))
        s.commit()
    ann, bob = await StatsStore(engine).per_agent()
    assert (ann.agent, ann.handled) == ("ann", 3)
    assert ann.median_claim_seconds == 120
    assert ann.median_resolve_seconds == 450  # of the two resolved
    assert ann.ratings == {"satisfied": 1, "neutral": 0, "unsatisfied": 0}
    assert (bob.handled, bob.median_claim_seconds, bob.median_resolve_seconds) == (1, 30, 90)
    assert bob.ratings["unsatisfied"] == 1
