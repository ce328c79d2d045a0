"""Transfers: a case handed to another agent or back to the queue, with a note.

The holder of a claimed case may transfer it; a supervisor may reassign any open case.
Each transfer is a ``case_transfers`` row and a ``CASE_TRANSFERRED`` desk event (its
``agent`` is the receiving agent; None: the queue), committed with the change of holder.
Notes are for agents only: nothing here reaches the customer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.handoff.desk_events import DeskEventKind, record
from bot.handoff.queue import HandoffStatus
from bot.state.desk_tables import CaseTransferRow
from bot.state.tables import AgentRow, HandoffRow
from bot.storage.clock import utc_now
from bot.storage.db import in_session

NOTE_LIMIT = 1000


class TransferError(Exception):
    """A transfer that cannot be done (not your case, closed, unknown agent...)."""


@dataclass(frozen=True)
class Transfer:
    """One transfer of a case."""

    handoff_id: int
    from_agent: str | None  # None: it was waiting in the queue
    to_agent: str | None  # None: back to the queue
    by_agent: str
    note: str | None
    created_at: dt.datetime


class CaseTransfers:
    """Transfers on the project's state database."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    async def transfer(
        self,
        case_id: int,
        by_agent: str,
        to_agent: str | None,
        note: str = "",
        *,
        supervisor: bool = False,
    ) -> Transfer:
        """Give case ``case_id`` to ``to_agent`` (None: back to the queue).

        ``by_agent`` must hold the case, unless ``supervisor``, who may reassign any open
        case. Raises ``TransferError`` otherwise, for an unknown receiving agent, or when
        the case already is where it would go.
        """
        note = note.strip()
        if len(note) > NOTE_LIMIT:
            raise TransferError(f"a transfer note has at most {NOTE_LIMIT} characters")
        now = self._clock()

        def work(s: Session) -> Transfer:
            row = s.get(HandoffRow, case_id)
            if row is None or row.status == HandoffStatus.RESOLVED.value:
                raise TransferError(f"case {case_id} is not open")
            holder = row.claimed_by if row.status == HandoffStatus.CLAIMED.value else None
            if not supervisor and holder != by_agent:
                raise TransferError(f"case {case_id} is not claimed by {by_agent}")
            if to_agent == holder:
                raise TransferError(f"case {case_id} is with {to_agent or 'the queue'} already")
            if to_agent is not None and not _is_agent(s, to_agent):
                raise TransferError(f"no agent {to_agent[:32]!r}")
            # Conditional, like a claim: a case that changed meanwhile is not taken over.
            changed = s.execute(
                update(HandoffRow)
                .where(
                    HandoffRow.id == case_id,
                    HandoffRow.status == row.status,
                    HandoffRow.claimed_by.is_(None)
                    if holder is None
                    else HandoffRow.claimed_by == holder,
                )
                .values(_holder_values(to_agent, row.claimed_at or now))
                .execution_options(synchronize_session=False)
            )
            if changed.rowcount != 1:
                raise TransferError(f"case {case_id} changed meanwhile; try again")
            s.add(
                CaseTransferRow(
                    handoff_id=case_id,
                    from_agent=holder,
                    to_agent=to_agent,
                    by_agent=by_agent,
                    note=note or None,
                    created_at=now,
                )
            )
            record(s, DeskEventKind.CASE_TRANSFERRED, now, handoff_id=case_id, agent=to_agent)
            s.commit()
            return Transfer(case_id, holder, to_agent, by_agent, note or None, now)

        return await in_session(self._engine, work)

    async def history(self, case_id: int) -> list[Transfer]:
        """The case's transfers, oldest first."""

        def work(s: Session) -> list[Transfer]:
            rows = s.scalars(
                select(CaseTransferRow)
                .where(CaseTransferRow.handoff_id == case_id)
                .order_by(CaseTransferRow.created_at, CaseTransferRow.id)
            )
            return [
                Transfer(r.handoff_id, r.from_agent, r.to_agent, r.by_agent, r.note, r.created_at)
                for r in rows
            ]

        return await in_session(self._engine, work)


def _is_agent(session: Session, username: str) -> bool:
    found = session.scalar(select(AgentRow.id).where(AgentRow.username == username))
    return found is not None


def _holder_values(to_agent: str | None, claimed_at: dt.datetime) -> dict[str, object]:
    if to_agent is None:
        return {"status": HandoffStatus.WAITING.value, "claimed_by": None, "claimed_at": None}
    # The first claim's time stays: it is the customer's wait for a person.
    return {"status": HandoffStatus.CLAIMED.value, "claimed_by": to_agent, "claimed_at": claimed_at}
