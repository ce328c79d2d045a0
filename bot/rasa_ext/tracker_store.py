"""Rasa's SQL tracker store, with pooled SQLite connections and the recent trackers kept.

Rasa rebuilds the whole conversation from its events on every message (read every
event row, parse its JSON, replay it) and then counts the rows again to know which
events to write: under load that was 40% of the Rasa server's CPU (py-spy,
docs/performance.md, "Where the time went"). This store keeps the trackers it last read
or wrote and hands the same object out again when the database shows that nobody else has written
to the conversation since (its newest event id is unchanged) and that nobody changed
the object without saving it (same number of events, same last event). The new
events of a kept tracker are written in one statement, and the same transaction
checks that they are the only ones added since. Any doubt falls back to Rasa's own
code, so several Rasa servers on one database stay correct: a conversation another
server wrote to is simply read again. Its own few statements are compiled once and run
through the driver: building and compiling them each time cost more than running them.

On a server database every pooled connection is tested before use (``pool_pre_ping``):
Rasa's own engine is not, so after a database restart each Rasa server failed the
first message it handled on a connection of the dead server.

Reading a conversation costs what its current session holds, not its whole history (an
SMS number's conversation never ends). Rasa selects the same events (those at or after
the newest ``session_started``), but its statement visits every stored event of the
sender; here one statement finds the session's start in an index on (sender, type,
timestamp) and reads the session's rows from an index on (sender, timestamp). Both
indexes (and, on a server database, one on (sender, id) for the newest-id check) are
created at start-up on existing tables too.

The trackers it hands out are ``ProjectTracker``s (``bot.rasa_ext.tuning.trackers``:
applied events kept, copies without replay), or Rasa's own with ``RASA_TUNING=off``. A
tracker Rasa made itself (the agent's failsafe wrapper creates a new conversation's) is
stored but not kept, so the next message reads it back as one of those.

Configured in ``endpoints.yml`` as ``type: bot.rasa_ext.tracker_store.ProjectSQLTrackerStore``
with the same keys as Rasa's ``SQL`` type, plus ``keep`` (conversations kept).
"""

from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import Session

from bot.metrics import note_intent
from bot.rasa_ext import fastjson
from bot.rasa_ext.tuning.setting import tuned
from bot.rasa_ext.tuning.trackers import ProjectTracker
from bot.storage.db import sqlite_engine
from bot.storage.prepared import PreparedStatement

# Conversations kept in memory, least recently used dropped first (``keep:`` in
# endpoints.yml). With the states the policies keep on each (bot/rasa_ext/tuning), a
# conversation of 120 events takes about 150 KB: 500 of them about 75 MB.
DEFAULT_KEEP = 500
# The columns Rasa's ``SQLTrackerStore.save`` writes, and rows per INSERT statement.
_COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
_ROWS_PER_INSERT = 50
SESSION_START_INDEX = "ix_events_session_start"  # (sender_id, type_name, timestamp)
SESSION_EVENTS_INDEX = "ix_events_sender_timestamp"  # (sender_id, timestamp)
NEWEST_INDEX = "ix_events_sender_newest"  # (sender_id, id); SQLite's sender index has it
_LOWEST = sa.literal_column("-1e308")  # below every timestamp


def _indexes(table: sa.Table, dialect: str) -> list[sa.Index]:
    """The indexes the statements below rely on, on a copy of Rasa's table (so that
    Rasa's own declaration, shared by every ``SQLTrackerStore``, stays as it is)."""
    c = table.to_metadata(sa.MetaData()).c
    indexes = [
        sa.Index(SESSION_START_INDEX, c.sender_id, c.type_name, c.timestamp),
        sa.Index(SESSION_EVENTS_INDEX, c.sender_id, c.timestamp),
    ]
    if dialect != "sqlite":
        indexes.append(sa.Index(NEWEST_INDEX, c.sender_id, c.id))
    return indexes


def session_query(table: sa.Table, *columns: Any) -> sa.sql.Select:
    """``columns`` of the sender's events in the current session, in id order (parameter
    ``sender_id``): the rows Rasa's ``SQLTrackerStore._event_query`` selects, those at or
    after the newest session start, or every event when no session has started.

    Each half of the ``UNION ALL`` is one index range: the events from the session's start
    (every timestamped event when there is none) and, to match Rasa's statement exactly,
    events without a timestamp when no session has started (Rasa writes none)."""
    c = table.c
    mine = c.sender_id == sa.bindparam("sender_id")
    session_started = sa.literal_column(f"'{SessionStarted.type_name}'")  # not a parameter
    starts = sa.and_(mine, c.type_name == session_started)
    start = sa.select(sa.func.max(c.timestamp)).where(starts).scalar_subquery()
    union = sa.union_all(
        sa.select(c.id, *columns).where(mine, c.timestamp >= sa.func.coalesce(start, _LOWEST)),
        sa.select(c.id, *columns).where(mine, c.timestamp.is_(None), ~sa.exists().where(starts)),
    ).subquery()
    return sa.select(*(union.c[col.name] for col in columns)).order_by(union.c.id)


@dataclass
class _Known:
    """A tracker whose first ``stored`` events are in the database, newest id ``newest``."""

    tracker: DialogueStateTracker
    stored: int
    last: Event | None
    newest: int | None

    def unchanged(self, newest: int | None) -> bool:
        events = self.tracker.events
        last = events[-1] if events else None
        return newest == self.newest and len(events) == self.stored and last is self.last


class ProjectSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that reads a conversation again only when it changed elsewhere."""

    def __init__(self, *args: Any, keep: int = DEFAULT_KEEP, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        engine: sa.engine.Engine = self.engine  # type: ignore[has-type]
        if engine.dialect.name == "sqlite":
            engine.dispose()
            self.engine = sqlite_engine(engine.url, foreign_keys=False, future=False)
        else:  # the same URL (and schema), each pooled connection tested on checkout
            engine.dispose()
            schema = {
                k: v for k, v in create_engine_kwargs(engine.url).items() if k == "connect_args"
            }
            self.engine = sa.create_engine(engine.url, pool_pre_ping=True, **schema)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._keep = int(keep)
        self._tracker_class = ProjectTracker if tuned() else DialogueStateTracker
        self._known: OrderedDict[str, _Known] = OrderedDict()
        table, dialect = self.SQLEvent.__table__, self.engine.dialect
        mine = table.c.sender_id == sa.bindparam("sender_id")
        self._newest_sql = PreparedStatement(
            sa.select(sa.func.max(table.c.id)).where(mine), dialect
        )
        after = sa.select(sa.func.count(), sa.func.max(table.c.id)).where(
            mine, table.c.id > sa.bindparam("after")
        )
        self._added_sql = PreparedStatement(after, dialect)
        self._session_sql = PreparedStatement(session_query(table, table.c.data), dialect)
        counted = session_query(table, table.c.id).subquery()
        self._session_count = sa.select(sa.func.count()).select_from(counted)
        self._inserts: dict[int, PreparedStatement] = {}
        self._create_indexes()

    def init_tracker(self, sender_id: str) -> DialogueStateTracker:
        """Rasa's new tracker, of the class this store hands out."""
        return self._tracker_class(
            sender_id, self.domain.slots, max_event_history=self.max_event_history
        )

    def _create_indexes(self) -> None:
        """Create the indexes reads rely on where missing (several servers may race)."""
        for index in _indexes(self.SQLEvent.__table__, self.engine.dialect.name):
            try:
                with self.engine.begin() as connection:
                    index.create(connection, checkfirst=True)
            except sa.exc.DBAPIError:  # created meanwhile by another server?
                found = sa.inspect(self.engine).get_indexes(self.SQLEvent.__tablename__)
                if index.name not in {i["name"] for i in found}:
                    raise

    def _insert_sql(self, rows: int) -> PreparedStatement:
        """``INSERT`` of ``rows`` events in one statement (parameters ``<column>_<row>``)."""
        if rows not in self._inserts:
            table = self.SQLEvent.__table__
            values = [{c: sa.bindparam(f"{c}_{i}") for c in _COLUMNS} for i in range(rows)]
            self._inserts[rows] = PreparedStatement(
                sa.insert(table).values(values), self.engine.dialect
            )
        return self._inserts[rows]

    @property
    def _caching(self) -> bool:
        # Streaming to an event broker diffs against a fresh read: keep nothing then.
        return self.event_broker is None and self._keep > 0

    def _newest_id(self, sender_id: str) -> int | None:
        """The id of the conversation's newest stored event (one indexed query)."""
        with self.engine.connect() as connection:
            newest = self._newest_sql.run(connection, {"sender_id": sender_id}).scalar()
        return None if newest is None else int(newest)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's tracker (latest session), from memory when still current."""
        if not self._caching:
            return await super().retrieve(sender_id)
        newest = self._newest_id(sender_id)
        known = self._known.get(sender_id)
        if known is not None and known.unchanged(newest):
            self._known.move_to_end(sender_id)
            return known.tracker
        self._known.pop(sender_id, None)
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            # Read after ``newest``: a write in between makes the next check fail (safe).
            self._remember(tracker, newest)
        return tracker

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's ``_retrieve``; the current session's events read through the indexes."""
        if fetch_events_from_all_sessions or not self.domain:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.engine.connect() as connection:
            rows = self._session_sql.run(connection, {"sender_id": sender_id}).all()
        if not rows:
            return None
        events = [json.loads(data) for (data,) in rows]
        return self._tracker_class.from_dict(sender_id, events, self.domain.slots)

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Any:
        """The tracker's events not stored yet (Rasa counts the session's rows)."""
        stored = session.execute(self._session_count, {"sender_id": tracker.sender_id}).scalar()
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the events not stored yet, and remember the tracker as stored."""
        note_intent(
            (tracker.latest_message.intent if tracker.latest_message else {}).get(INTENT_NAME_KEY)
        )
        known = self._known.get(tracker.sender_id)
        if self._caching and known is not None and known.tracker is tracker:
            new_events = list(itertools.islice(tracker.events, known.stored, None))
            alone, newest = self._append(tracker.sender_id, known.newest, new_events)
            if alone:
                self._after_save(tracker, new_events, newest)
            else:  # another writer too (Rasa's lock store prevents it): read it again
                self._known.pop(tracker.sender_id, None)
            return
        self._known.pop(tracker.sender_id, None)
        await super().save(tracker)
        if self._caching and isinstance(tracker, self._tracker_class):
            self._after_save(tracker, list(tracker.events), self._newest_id(tracker.sender_id))

    def _append(
        self, sender_id: str, newest: int | None, events: list[Event]
    ) -> tuple[bool, int | None]:
        """Insert ``events`` (one statement per 50) in one transaction. Whether they are the
        only events stored after ``newest`` (nobody else wrote), and the newest id now."""
        rows = [self._row(sender_id, event) for event in events]
        # Ids start at 1 (autoincrement, PostgreSQL serial): after 0 is every event.
        mine = {"sender_id": sender_id, "after": 0 if newest is None else newest}
        with self.engine.begin() as connection:  # one transaction
            for start in range(0, len(rows), _ROWS_PER_INSERT):
                chunk = rows[start : start + _ROWS_PER_INSERT]
                insert = self._insert_sql(len(chunk))
                values = {f"{c}_{i}": row[c] for i, row in enumerate(chunk) for c in _COLUMNS}
                insert.run(connection, values)
            added, now = self._added_sql.run(connection, mine).one()
        return added == len(events), (newest if now is None else int(now))

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """The columns Rasa's ``SQLTrackerStore.save`` writes for an event."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": fastjson.dumps(data),
        }

    def _after_save(
        self, tracker: DialogueStateTracker, new_events: list[Event], newest: int | None
    ) -> None:
        if any(isinstance(event, SessionStarted) for event in new_events):
            # A new session: Rasa reads only its events from now on; so will we.
            self._known.pop(tracker.sender_id, None)
        else:
            self._remember(tracker, newest)

    def _remember(self, tracker: DialogueStateTracker, newest: int | None) -> None:
        events = tracker.events
        self._known[tracker.sender_id] = _Known(
            tracker, len(events), events[-1] if events else None, newest
        )
        self._known.move_to_end(tracker.sender_id)
        while len(self._known) > self._keep:
            self._known.popitem(last=False)
