"""A message costs what the current session holds, not the customer's whole history.

An SMS number's conversation never ends: a customer with thousands of events in earlier
sessions. The tracker store reads only the current session's rows (SQLite's own count of
the work a statement does, against a customer with no history), and what Rasa sends to
the action server with each custom action holds only that session.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_ext.tracker_store import ProjectSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400.0
EARLIER_SESSIONS, EARLIER_TURNS = 40, 25  # 104 events each: 4160 earlier events
CURRENT_TURNS = 60  # 244 events in the current session


def session(start: float, turns: int) -> list[Event]:
    """A session as Rasa logs one: its start, then ``turns`` questions and answers."""
    events: list[Event] = [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.001),
        SlotSet("language", "en", timestamp=start + 0.002),
        ActionExecuted("action_listen", timestamp=start + 0.003),
    ]
    for i in range(turns):
        at = start + 1 + i
        events += [
            UserUttered(f"balance {i}", {"name": "check_balance", "confidence": 1.0}, timestamp=at),
            ActionExecuted("action_check_balance", timestamp=at + 0.001),
            BotUttered("Your balance is 12.00 CNY.", timestamp=at + 0.002),
            ActionExecuted("action_listen", timestamp=at + 0.003),
        ]
    return events


def insert(store: SQLTrackerStore, sender: str, events: list[Event]) -> None:
    """Rows as Rasa's ``SQLTrackerStore.save`` writes them."""
    rows = [
        {
            "sender_id": sender,
            "type_name": e.type_name,
            "timestamp": e.timestamp,
            "intent_name": e.as_dict().get("parse_data", {}).get("intent", {}).get("name"),
            "action_name": e.as_dict().get("name"),
            "data": json.dumps(e.as_dict()),
        }
        for e in events
    ]
    with store.engine.begin() as connection:
        connection.execute(sa.insert(store.SQLEvent.__table__), rows)


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain")


@pytest.fixture(scope="module")
def database(domain: Domain, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``veteran``: thousands of earlier events; ``newcomer``: the same current session."""
    path = tmp_path_factory.mktemp("trackers") / "trackers.db"
    store = ProjectSQLTrackerStore(domain=domain, dialect="sqlite", db=str(path))
    now = time.time()
    current = session(now - 600, CURRENT_TURNS)
    history = [
        event
        for k in range(EARLIER_SESSIONS, 0, -1)
        for event in session(now - k * DAY, EARLIER_TURNS)
    ]
    insert(store, "veteran", history + current)
    insert(store, "newcomer", current)
    insert(store, "someone else", session(now - 60, 3))
    store.engine.dispose()
    return path


def work(path: Path, sql: str, sender: str) -> tuple[int, int]:
    """Rows ``sql`` returns for ``sender``, and the virtual machine steps SQLite took."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    with sqlite3.connect(path) as connection:
        connection.set_progress_handler(count, 1)
        rows = connection.execute(sql, {"sender_id": sender}).fetchall()
    return len(rows), steps


def stored(path: Path, sender: str) -> int:
    with sqlite3.connect(path) as connection:
        return int(
            connection.execute(
                "SELECT count(*) FROM events WHERE sender_id = ?", (sender,)
            ).fetchone()[0]
        )


def rasa_statement(store: SQLTrackerStore) -> str:
    """Rasa's own statement for the current session, with a named parameter."""
    with store.session_scope() as session_:
        query = SQLTrackerStore._event_query(store, session_, "SENDER", False)
        compiled = query.statement.compile(
            dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}
        )
    return str(compiled).replace("'SENDER'", ":sender_id")


def test_the_veteran_has_thousands_of_earlier_events(database: Path) -> None:
    assert stored(database, "veteran") > 4000
    assert stored(database, "newcomer") == 4 + 4 * CURRENT_TURNS


async def test_retrieve_loads_only_the_current_session(domain: Domain, database: Path) -> None:
    store = ProjectSQLTrackerStore(domain=domain, dialect="sqlite", db=str(database), keep=0)
    rasa = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(database))
    for sender in ("veteran", "newcomer"):
        tracker, theirs = await store.retrieve(sender), await rasa.retrieve(sender)
        assert tracker is not None and theirs is not None
        assert [e.as_dict() for e in tracker.events] == [e.as_dict() for e in theirs.events]
        assert isinstance(tracker.events[0], SessionStarted)
        assert len(tracker.events) == 3 + 4 * CURRENT_TURNS  # from the session's start


def test_rows_read_do_not_grow_with_history(domain: Domain, database: Path) -> None:
    store = ProjectSQLTrackerStore(domain=domain, dialect="sqlite", db=str(database))
    sql = store._session_sql.sql.replace("?", ":sender_id")
    veteran, newcomer = work(database, sql, "veteran"), work(database, sql, "newcomer")
    assert veteran[0] == newcomer[0] == 3 + 4 * CURRENT_TURNS
    assert veteran[1] < newcomer[1] * 1.1  # the same work, whatever came before
    # Rasa's statement selects the same rows but visits every stored event of the sender.
    rasa = rasa_statement(store)
    their_veteran, their_newcomer = (
        work(database, rasa, "veteran"),
        work(database, rasa, "newcomer"),
    )
    assert their_veteran[0] == veteran[0]
    assert their_veteran[1] > their_newcomer[1] * 5  # 4404 rows visited instead of 244


def test_the_session_is_found_through_the_indexes(domain: Domain, database: Path) -> None:
    store = ProjectSQLTrackerStore(domain=domain, dialect="sqlite", db=str(database))
    with sqlite3.connect(database) as connection:
        plan = [
            row[3]
            for row in connection.execute(
                "EXPLAIN QUERY PLAN " + store._session_sql.sql, ("veteran",) * 4
            )
        ]
    assert any("ix_events_session_start (sender_id=? AND type_name=?)" in p for p in plan)
    assert any("ix_events_sender_timestamp (sender_id=? AND timestamp>?)" in p for p in plan)
    assert not any(p.startswith("SCAN events") for p in plan)


async def test_the_action_server_gets_only_the_current_session(
    domain: Domain, database: Path
) -> None:
    store = ProjectSQLTrackerStore(domain=domain, dialect="sqlite", db=str(database), keep=0)
    action = RemoteAction("action_check_balance", EndpointConfig("http://localhost:5055"))
    bodies = {}
    for sender in ("veteran", "newcomer"):
        tracker = await store.retrieve(sender)
        assert tracker is not None
        bodies[sender] = action._action_call_format(tracker, domain)  # what Rasa posts
    veteran, newcomer = bodies["veteran"]["tracker"], bodies["newcomer"]["tracker"]
    assert len(veteran["events"]) == len(newcomer["events"]) == 3 + 4 * CURRENT_TURNS
    assert veteran["events"] == newcomer["events"]


async def test_a_session_that_expires_starts_from_nothing(
    domain: Domain, database: Path, tmp_path: Path
) -> None:
    """The veteran comes back: the new session alone is read and saved."""
    database = Path(shutil.copy(database, tmp_path / "copy.db"))
    store = ProjectSQLTrackerStore(domain=domain, dialect="sqlite", db=str(database))
    tracker = await store.retrieve("veteran")
    assert tracker is not None
    before = stored(database, "veteran")
    tracker.update_with_events(session(time.time(), 2), None)
    await store.save(tracker)
    again = await store.retrieve("veteran")
    assert again is not None and len(again.events) == 3 + 4 * 2
    assert stored(database, "veteran") == before + 4 + 4 * 2
