"""The desk's tables (revision 0011): canned replies, internal notes, transfers, the change log.

Beside ``tables`` (which imports this module, so the migrations see one schema); the columns
added to ``agents`` (role, presence, time zone) are in ``tables.AgentRow``.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Text

from bot.state.base import StateBase


# bot.console.replies: replies an agent picks and edits, with {placeholders}
class CannedReplyRow(StateBase):
    """A prepared reply in one language; placeholders are filled from the case."""

    __tablename__ = "canned_replies"
    id = Column(Integer, primary_key=True, autoincrement=True)
    language = Column(String(8), nullable=False, index=True)  # en | zh (a handoff's language)
    title = Column(String(64), nullable=False)
    body = Column(Text, nullable=False)
    created_by = Column(String(32), nullable=True)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)


# bot.console.notes: internal notes, never sent to the customer
class DeskNoteRow(StateBase):
    """An agent's note on a case (``handoff_id``) or on a ticket (``ticket_id``)."""

    __tablename__ = "desk_notes"
    id = Column(Integer, primary_key=True, autoincrement=True)
    handoff_id = Column(Integer, nullable=True, index=True)
    ticket_id = Column(String(16), nullable=True, index=True)
    agent = Column(String(32), nullable=False)
    body = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)


# bot.handoff.transfer: a case handed to another agent or back to the queue
class CaseTransferRow(StateBase):
    """One transfer of a case: from whom, to whom (None: the queue), with its note."""

    __tablename__ = "case_transfers"
    id = Column(Integer, primary_key=True, autoincrement=True)
    handoff_id = Column(Integer, nullable=False, index=True)
    from_agent = Column(String(32), nullable=True)
    to_agent = Column(String(32), nullable=True)
    by_agent = Column(String(32), nullable=False)
    note = Column(Text, nullable=True)
    created_at = Column(DateTime, nullable=False)


# bot.handoff.desk_events: what changed on the desk, tailed by every console's live push
class DeskEventRow(StateBase):
    """One change (a case opened, claimed, a customer message, a ticket updated...), in order.

    Any process appends; each console instance tails ``id`` and pushes to its browsers, so two
    consoles behind one balancer show the same changes."""

    __tablename__ = "desk_events"
    id = Column(Integer, primary_key=True, autoincrement=True)
    kind = Column(String(32), nullable=False)
    handoff_id = Column(Integer, nullable=True)
    ticket_id = Column(String(16), nullable=True)
    agent = Column(String(32), nullable=True)  # the agent concerned (an assignment), if any
    created_at = Column(DateTime, nullable=False, index=True)
