"""Notice preferences on a real, migrated SQLite state database."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.domain.notice_kinds import NoticeKind
from bot.notices.preferences import NoticePreferences
from bot.state.tables import NoticePreferenceRow
from tests.fakes import NOW, Clock

C1, C2 = "+8613800000001", "+8613800000002"


def rows(engine: Engine) -> list[tuple[str, str, bool, dt.datetime]]:
    with Session(engine) as session:
        found = session.scalars(
            select(NoticePreferenceRow).order_by(
                NoticePreferenceRow.msisdn, NoticePreferenceRow.kind
            )
        )
        return [(r.msisdn, r.kind, r.enabled, r.updated_at) for r in found]


async def test_every_kind_is_on_until_turned_off(state_engine: Engine) -> None:
    store = NoticePreferences(state_engine)
    assert await store.disabled_kinds(C1) == frozenset()
    assert all([await store.is_enabled(C1, kind) for kind in NoticeKind])
    assert rows(state_engine) == []


async def test_a_kind_turned_off_and_on_again(state_engine: Engine) -> None:
    clock = Clock()
    store = NoticePreferences(state_engine, clock=clock)
    await store.set_enabled(C1, NoticeKind.DATA, False)
    assert await store.is_enabled(C1, NoticeKind.DATA) is False
    assert await store.is_enabled(C1, NoticeKind.BILL) is True
    assert await store.disabled_kinds(C1) == {NoticeKind.DATA}
    assert rows(state_engine) == [(C1, "data", False, NOW)]

    clock.now = NOW + dt.timedelta(days=2)
    await store.set_enabled(C1, NoticeKind.DATA, True)
    assert await store.is_enabled(C1, NoticeKind.DATA) is True
    assert await store.disabled_kinds(C1) == frozenset()
    assert rows(state_engine) == [(C1, "data", True, clock.now)]


async def test_setting_twice_keeps_one_row(state_engine: Engine) -> None:
    store = NoticePreferences(state_engine, clock=Clock())
    for _ in range(2):
        await store.set_enabled(C1, NoticeKind.BALANCE, False)
    assert rows(state_engine) == [(C1, "balance", False, NOW)]


async def test_customers_are_kept_apart(state_engine: Engine) -> None:
    store = NoticePreferences(state_engine, clock=Clock())
    for kind in NoticeKind:
        await store.set_enabled(C1, kind, False)
    assert await store.disabled_kinds(C1) == frozenset(NoticeKind)
    assert await store.disabled_kinds(C2) == frozenset()
    assert await store.is_enabled(C2, NoticeKind.BILL) is True


async def test_two_stores_on_one_database_agree(state_engine: Engine) -> None:
    """The action server writes, the scheduler reads: each has its own store."""
    writer, reader = NoticePreferences(state_engine), NoticePreferences(state_engine)
    await asyncio.gather(
        *(writer.set_enabled(C1, kind, False) for kind in NoticeKind),
        *(reader.set_enabled(C2, NoticeKind.BILL, False) for _ in range(3)),
    )
    assert await reader.disabled_kinds(C1) == frozenset(NoticeKind)
    assert await writer.disabled_kinds(C2) == {NoticeKind.BILL}
    assert len(rows(state_engine)) == len(NoticeKind) + 1  # every kind for C1, one for C2


async def test_an_unknown_kind_in_the_table_is_ignored(state_engine: Engine) -> None:
    """A kind a later release adds (and this one does not know) breaks no reader."""
    with Session(state_engine) as session:
        session.add(NoticePreferenceRow(msisdn=C1, kind="roaming", enabled=False, updated_at=NOW))
        session.commit()
    assert await NoticePreferences(state_engine).disabled_kinds(C1) == frozenset()
