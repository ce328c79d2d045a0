"""Which kinds of notice each customer has turned off (every kind is on by default).

A customer turns a kind off or on again by SMS code or by asking (``actions/notice_settings``);
the notice scheduler asks :meth:`NoticePreferences.is_enabled` before it sends. One row per
number and kind that the customer has ever set, in the state database (``notice_preferences``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.notice_kinds import NoticeKind
from bot.state.tables import NoticePreferenceRow
from bot.storage.db import in_session

_KINDS = {kind.value: kind for kind in NoticeKind}


class NoticePreferences:
    """Each customer's notice preferences, stored in the project's state database."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self._engine = engine
        self._clock = clock

    async def is_enabled(self, msisdn: str, kind: NoticeKind) -> bool:
        """Whether ``msisdn`` gets notices of ``kind`` (yes unless turned off)."""
        return kind not in await self.disabled_kinds(msisdn)

    async def disabled_kinds(self, msisdn: str) -> frozenset[NoticeKind]:
        """The kinds ``msisdn`` has turned off."""

        def work(s: Session) -> frozenset[NoticeKind]:
            values = s.scalars(
                select(NoticePreferenceRow.kind).where(
                    NoticePreferenceRow.msisdn == msisdn,
                    NoticePreferenceRow.enabled.is_(False),
                )
            )
            return frozenset(_KINDS[v] for v in values if v in _KINDS)

        return await in_session(self._engine, work)

    async def set_enabled(self, msisdn: str, kind: NoticeKind, enabled: bool) -> None:
        """Turn notices of ``kind`` on or off for ``msisdn`` (idempotent)."""
        now = self._clock()

        def work(s: Session) -> None:
            row = s.get(NoticePreferenceRow, (msisdn, kind.value))
            if row is None:
                s.add(
                    NoticePreferenceRow(
                        msisdn=msisdn, kind=kind.value, enabled=enabled, updated_at=now
                    )
                )
            else:
                row.enabled = enabled
                row.updated_at = now
            s.commit()

        try:
            await in_session(self._engine, work)
        except IntegrityError:  # another process inserted the row first: update it
            await in_session(self._engine, work)
