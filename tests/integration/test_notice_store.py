"""The notice record on a real SQLite file: two schedulers at once send every notice once,
and a scheduler that crashes between claim and send (or between send and mark) loses
nothing and doubles nothing once its lease is over."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.billing.sql import SqlBillingService
from bot.notices.due import Notice
from bot.notices.routes import NoticeRoutes
from bot.notices.sender import NoticeSender
from bot.notices.store import NoticeStore
from bot.storage.db import make_engine
from tests.fakes import NOW, Clock
from tests.fakes.notice_rasa import FakeNoticeRasa, build_scheduler

C5 = "+8613800000005"
LOW = Notice(C5, "low_balance", "2026-11", {"notice_amount": "2.10", "notice_limit": "5.00"})
LEASE = dt.timedelta(minutes=5)


def test_two_schedulers_at_once_send_each_notice_exactly_once(
    tmp_path: Path, state_engine: Engine, billing: SqlBillingService
) -> None:
    rasa = FakeNoticeRasa()
    url = f"sqlite:///{tmp_path / 'db' / 'state.db'}"
    start = threading.Barrier(2)
    reports = []

    def scheduler(owner: str) -> None:
        engine = make_engine(url)  # its own connections, like another process
        try:
            scheduler = build_scheduler(engine, rasa, Clock(), billing, owner=owner)
            start.wait()
            reports.append(asyncio.run(scheduler.sweep()))
        finally:
            engine.dispose()

    threads = [threading.Thread(target=scheduler, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    keys = [t.entities["notice_key"] for t in rasa.triggered]
    assert len(reports) == 2 and keys
    assert len(keys) == len(set(keys)), "a notice was sent twice"
    assert sorted(reports[0].sent + reports[1].sent) == sorted(keys)
    assert f"{C5}/low_balance/2026-11" in keys and f"{C5}/data_warn/2026-11" in keys


async def test_a_crash_between_claim_and_send_is_sent_by_another_after_the_lease(
    state_engine: Engine, billing: SqlBillingService
) -> None:
    rasa, clock = FakeNoticeRasa(), Clock()
    store = NoticeStore(state_engine)
    route = await NoticeRoutes(state_engine).route(C5)
    assert await store.claim(LOW, route, "crashed", NOW, LEASE)  # ... and then it died
    other = build_scheduler(state_engine, rasa, clock, billing, owner="b", lease_seconds=300)
    await other.sweep()
    assert LOW.key not in [t.entities["notice_key"] for t in rasa.triggered]
    assert await store.status(LOW) == "claimed"
    clock.now = NOW + LEASE
    report = await other.sweep()
    assert report.sent == [LOW.key]
    assert [t.entities["notice_key"] for t in rasa.triggered].count(LOW.key) == 1
    assert await store.status(LOW) == "sent"
    clock.now = NOW + 2 * LEASE
    await other.sweep()
    assert [t.entities["notice_key"] for t in rasa.triggered].count(LOW.key) == 1


async def test_a_crash_between_send_and_mark_is_only_marked_after_the_lease(
    state_engine: Engine, billing: SqlBillingService
) -> None:
    rasa, clock = FakeNoticeRasa(), Clock()
    store = NoticeStore(state_engine)
    route = await NoticeRoutes(state_engine).route(C5)
    assert await store.claim(LOW, route, "crashed", NOW, LEASE)
    await NoticeSender(rasa).send(route, LOW)  # ... and then it died before marking
    other = build_scheduler(state_engine, rasa, clock, billing, owner="b")
    clock.now = NOW + LEASE + dt.timedelta(seconds=1)
    report = await other.sweep()
    assert report.found_sent == [LOW.key] and LOW.key not in report.sent
    assert [t.entities["notice_key"] for t in rasa.triggered].count(LOW.key) == 1
    assert await store.status(LOW) == "sent"


async def test_only_one_of_two_takes_over_a_stale_claim(state_engine: Engine) -> None:
    store = NoticeStore(state_engine)
    route = await NoticeRoutes(state_engine).route(C5)
    assert await store.claim(LOW, route, "crashed", NOW, LEASE)
    assert not await store.claim(LOW, route, "late", NOW, LEASE)  # the key is taken
    later = NOW + LEASE
    assert [n.key for n, _ in await store.stale(later)] == [LOW.key]
    won = await asyncio.gather(*(store.take_over(LOW, o, later, LEASE) for o in "abcd"))
    assert sorted(won) == [False, False, False, True]
    assert await store.stale(later) == []


async def test_sent_notices_are_counted_by_kind(
    state_engine: Engine, billing: SqlBillingService
) -> None:
    rasa = FakeNoticeRasa()
    await build_scheduler(state_engine, rasa, Clock(), billing).sweep()
    counts = await NoticeStore(state_engine).sent_by_kind()
    assert counts == {"balance": 2, "data": 2, "bill": 5}
