"""The case page's customer context on a migrated SQLite state database, with the fake and
the SQL billing: what it shows, what a case without a number shows, and what it costs."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.port import BillingService, ComplaintCategory
from bot.billing.sql import SqlBillingService
from bot.domain.quotes import plan_quote
from bot.handoff.context import CaseContext, CaseContextReader
from bot.handoff.queue import Handoff, HandoffReason, HandoffStatus
from bot.state.tables import HandoffRow, NoticeRow, ProposalRow, RatingRow
from tests.fakes import NOW, FakeBillingService

NUMBER = "+8613800000003"
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(params=["fake", "sql"])
def any_billing(request: pytest.FixtureRequest, billing: SqlBillingService) -> BillingService:
    return FakeBillingService() if request.param == "fake" else billing


def _case(case_id: int, msisdn: str | None, conversation: str = "conv-9") -> Handoff:
    return Handoff(
        case_id,
        conversation,
        msisdn,
        "sms",
        "zh",
        HandoffReason.CUSTOMER_REQUEST,
        None,
        HandoffStatus.WAITING,
        NOW,
        None,
    )


def _handoff(case_id: int, msisdn: str | None, conversation: str, at: dt.datetime) -> HandoffRow:
    return HandoffRow(
        id=case_id,
        conversation_id=conversation,
        msisdn=msisdn,
        channel="sms",
        language="zh",
        reason="complaint_escalation",
        status="resolved",
        created_at=at,
        callback_requested=False,
    )


def _notice(
    event_name: str, kind: str, claimed: dt.datetime, sent: dt.datetime | None
) -> NoticeRow:
    return NoticeRow(
        msisdn=NUMBER,
        event=event_name,
        cycle="2026-11",
        kind=kind,
        payload="{}",
        status="sent" if sent else "claimed",
        claimed_by="s1",
        claimed_at=claimed,
        retry_at=claimed,
        attempts=1,
        conversation_id=NUMBER,
        channel="sms",
        sent_at=sent,
    )


def _proposal(pid: str, expires: dt.datetime, used: dt.datetime | None = None) -> ProposalRow:
    quote = plan_quote(Decimal("58"), Decimal("30"), 500, 100, dt.date(2026, 12, 1))
    return ProposalRow(
        id=pid,
        conversation_id=NUMBER,
        channel="sms",
        msisdn=NUMBER,
        kind="plan_change",
        subject="P58",
        quote=quote.dumps(),
        created_at=expires - dt.timedelta(minutes=30),
        expires_at=expires,
        used_at=used,
    )


def _seed(engine: Engine) -> None:
    with Session(engine) as s:
        s.add_all(
            [
                _handoff(1, NUMBER, NUMBER, NOW - dt.timedelta(days=20)),
                _handoff(2, NUMBER, NUMBER, NOW - dt.timedelta(days=3)),
                _handoff(3, "+8613800000001", "+8613800000001", NOW - dt.timedelta(days=1)),
                _handoff(4, None, "web-anon", NOW - dt.timedelta(hours=2)),
                RatingRow(
                    conversation_id=NUMBER,
                    rating="unsatisfied",
                    handoff_id=2,
                    created_at=NOW - dt.timedelta(days=3),
                ),
                # the scheduler stamps Beijing wall-clock time: 09:00 there is 01:00 UTC
                _notice(
                    "low_balance",
                    "balance",
                    dt.datetime(2026, 11, 27, 9, 0),
                    dt.datetime(2026, 11, 27, 9, 0, 5),
                ),
                _notice("bill", "bill", dt.datetime(2026, 11, 28, 8, 0), None),
                _proposal("open", NOW + dt.timedelta(minutes=20)),
                _proposal("expired", NOW - dt.timedelta(minutes=1)),
                _proposal("used", NOW + dt.timedelta(minutes=20), used=NOW),
            ]
        )
        s.commit()


def _read(engine: Engine, billing: BillingService, case: Handoff) -> CaseContext:
    reader = CaseContextReader(engine, billing, BEIJING, clock=lambda: NOW)
    return asyncio.run(reader.read(case))


def test_a_customers_context(state_engine: Engine, any_billing: BillingService) -> None:
    _seed(state_engine)
    asyncio.run(
        any_billing.create_ticket(NUMBER, ComplaintCategory.NETWORK, "no signal", None, False)
    )
    context = _read(state_engine, any_billing, _case(9, NUMBER, NUMBER))
    assert [(b.month, b.total) for b in context.bills] == [
        ("2026-10", Decimal("100.00")),
        ("2026-09", Decimal("105.50")),
        ("2026-08", Decimal("89.00")),
    ]
    assert [(n.kind, n.status, n.at) for n in context.notices] == [
        ("bill", "claimed", dt.datetime(2026, 11, 28, 0, 0)),
        ("balance", "sent", dt.datetime(2026, 11, 27, 1, 0, 5)),
    ]
    [proposal] = context.proposals  # the expired and the confirmed ones are not open
    assert (proposal.kind, proposal.subject, proposal.price) == ("plan_change", "P58", 58)
    assert proposal.allowance == "30GB/500min/100sms"
    assert proposal.expires_at == NOW + dt.timedelta(minutes=20)
    assert [(c.case_id, c.rating) for c in context.earlier_cases] == [(2, "unsatisfied"), (1, None)]
    assert [(t.category, t.status) for t in context.tickets] == [("network", "open")]
    assert context.billing_answered and not context.needs_number


def test_an_unverified_web_chat_shows_what_is_known(
    state_engine: Engine, any_billing: BillingService
) -> None:
    _seed(state_engine)
    context = _read(state_engine, any_billing, _case(9, None, "web-anon"))
    assert context.needs_number
    assert [c.case_id for c in context.earlier_cases] == [4]
    assert context.bills == context.notices == context.proposals == context.tickets == []


def test_billing_down_leaves_the_rest(state_engine: Engine) -> None:
    _seed(state_engine)
    billing = FakeBillingService()
    billing.down = True
    context = _read(state_engine, billing, _case(9, NUMBER, NUMBER))
    assert not context.billing_answered and context.bills == []
    assert len(context.notices) == 2 and len(context.earlier_cases) == 2


def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def test_reading_costs_the_same_for_a_long_history(
    state_engine: Engine, engine: Engine, billing: SqlBillingService
) -> None:
    _seed(state_engine)
    _read(state_engine, billing, _case(9, NUMBER, NUMBER))  # the adapters' first-use work
    counted = _statements(state_engine)
    state_seen = next(counted)
    billing_seen = next(_statements(engine))
    _read(state_engine, billing, _case(9, NUMBER, NUMBER))
    few = (len(state_seen), len(billing_seen))
    with Session(state_engine) as s:
        for i in range(40):
            s.add(_handoff(100 + i, NUMBER, NUMBER, NOW - dt.timedelta(days=30 + i)))
            s.add(_notice(f"e{i}", "data", NOW - dt.timedelta(days=i), NOW))
        s.commit()
    state_seen.clear()
    billing_seen.clear()
    context = _read(state_engine, billing, _case(9, NUMBER, NUMBER))
    assert (len(state_seen), len(billing_seen)) == few
    assert len(state_seen) == 3  # notices, proposals, earlier cases with their ratings
    assert len(context.earlier_cases) == 5 and len(context.notices) == 5  # newest first
