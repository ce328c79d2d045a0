"""The project's SQL tracker store: same answers as Rasa's, and rereads whatever changed."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.tracker_store import ProjectSQLTrackerStore
from bot.rasa_ext.tuning.trackers import ProjectTracker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain")


def make_store(domain: Domain, path: Path, **kwargs: int) -> ProjectSQLTrackerStore:
    return ProjectSQLTrackerStore(domain=domain, dialect="sqlite", db=str(path), **kwargs)


def turn(text: str) -> list:
    return [
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"),
        BotUttered("hi"),
    ]


async def new_conversation(store: ProjectSQLTrackerStore, sender: str) -> DialogueStateTracker:
    tracker = await store.get_or_create_tracker(sender)
    tracker.update_with_events(turn("hello"), None)
    await store.save(tracker)
    return tracker


async def stored_rows(domain: Domain, path: Path, sender: str) -> int:
    plain = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(path))
    tracker = await plain.retrieve_full_tracker(sender)
    return 0 if tracker is None else len(tracker.events)


async def test_reads_like_rasa_and_keeps_the_tracker(domain: Domain, tmp_path: Path) -> None:
    store = make_store(domain, tmp_path / "t.db")
    tracker = await new_conversation(store, "a")
    again = await store.retrieve("a")
    plain = await SQLTrackerStore(
        domain=domain, dialect="sqlite", db=str(tmp_path / "t.db")
    ).retrieve("a")
    assert again is tracker
    assert plain is not None and again is not None
    assert list(again.events) == list(plain.events)
    assert await store.retrieve("a") is tracker
    assert await store.retrieve("nobody") is None


async def test_saves_only_new_events(domain: Domain, tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = make_store(domain, path)
    tracker = await new_conversation(store, "a")
    for text in ("one", "two"):
        current = await store.retrieve("a")
        assert current is tracker
        current.update_with_events(turn(text), None)
        await store.save(current)
    assert await stored_rows(domain, path, "a") == len(tracker.events)
    plain = await SQLTrackerStore(domain=domain, dialect="sqlite", db=str(path)).retrieve("a")
    assert plain is not None and list(plain.events) == list(tracker.events)
    assert [e.as_dict() for e in plain.events] == [e.as_dict() for e in tracker.events]


async def test_rereads_what_another_server_wrote(domain: Domain, tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    mine, other = make_store(domain, path), make_store(domain, path)
    tracker = await new_conversation(mine, "a")
    theirs = await other.retrieve("a")
    assert theirs is not None and theirs is not tracker
    theirs.update_with_events(turn("from the other server"), None)
    await other.save(theirs)
    fresh = await mine.retrieve("a")
    assert fresh is not None and fresh is not tracker
    assert [e.text for e in fresh.events if isinstance(e, UserUttered)] == [
        "hello",
        "from the other server",
    ]
    fresh.update_with_events(turn("back here"), None)
    await mine.save(fresh)
    assert await stored_rows(domain, path, "a") == len(fresh.events)


async def test_unsaved_changes_are_dropped(domain: Domain, tmp_path: Path) -> None:
    store = make_store(domain, tmp_path / "t.db")
    tracker = await new_conversation(store, "a")
    tracker.update(SlotSet("language", "en"))  # changed, never saved (a failed turn)
    fresh = await store.retrieve("a")
    assert fresh is not None and fresh is not tracker
    assert fresh.get_slot("language") is None


async def test_a_new_session_is_read_from_its_start(domain: Domain, tmp_path: Path) -> None:
    store = make_store(domain, tmp_path / "t.db")
    tracker = await new_conversation(store, "a")
    tracker.update_with_events(
        [ActionExecuted("action_session_start"), SessionStarted(), *turn("next day")], None
    )
    await store.save(tracker)
    fresh = await store.retrieve("a")
    assert fresh is not None and fresh is not tracker
    assert isinstance(fresh.events[0], SessionStarted)
    assert [e.text for e in fresh.events if isinstance(e, UserUttered)] == ["next day"]


async def test_keeps_at_most_the_configured_number(domain: Domain, tmp_path: Path) -> None:
    store = make_store(domain, tmp_path / "t.db", keep=2)
    trackers = {sender: await new_conversation(store, sender) for sender in "abc"}
    assert await store.retrieve("a") is not trackers["a"]  # the oldest was forgotten
    assert await store.retrieve("c") is trackers["c"]


async def test_many_new_events_are_written_in_order(domain: Domain, tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = make_store(domain, path)
    tracker = await new_conversation(store, "a")
    texts = [f"message {i}" for i in range(30)]  # 120 events: three INSERT statements
    tracker.update_with_events([e for text in texts for e in turn(text)], None)
    await store.save(tracker)
    assert await store.retrieve("a") is tracker  # the check saw only its own rows
    plain = await SQLTrackerStore(domain=domain, dialect="sqlite", db=str(path)).retrieve("a")
    assert plain is not None
    assert [e.as_dict() for e in plain.events] == [e.as_dict() for e in tracker.events]
    assert [e.text for e in plain.events if isinstance(e, UserUttered)] == ["hello", *texts]


async def test_reads_the_current_session_as_rasa_does(domain: Domain, tmp_path: Path) -> None:
    """Rasa's rule (events at or after the newest session start, or all of them) on edge
    cases: no session yet, a row without a timestamp, starts sharing a timestamp."""
    path = tmp_path / "t.db"
    store = make_store(domain, path, keep=0)
    plain = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(path))
    legacy = await new_conversation(store, "legacy")  # no session start at all
    tied = [ActionExecuted("action_session_start", timestamp=5.0), SessionStarted(timestamp=5.0)]
    legacy.update_with_events([*tied, *turn("later")], None)
    await store.save(legacy)
    await new_conversation(store, "plain")
    table = store.SQLEvent.__table__
    with store.engine.begin() as connection:  # a row Rasa never writes
        connection.execute(table.insert(), {"sender_id": "plain", "type_name": "x", "data": "{}"})
    for sender in ("plain", "legacy", "nobody"):
        mine, theirs = await store.retrieve(sender), await plain.retrieve(sender)
        if theirs is None:
            assert mine is None
            continue
        assert mine is not None
        assert [e.as_dict() for e in mine.events] == [e.as_dict() for e in theirs.events]


async def test_indexes_are_added_to_an_existing_table(domain: Domain, tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    rasa = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(path))  # an older database
    names = {index["name"] for index in sa.inspect(rasa.engine).get_indexes("events")}
    assert "ix_events_session_start" not in names
    make_store(domain, path)
    make_store(domain, path)  # again: nothing to do
    names = {index["name"] for index in sa.inspect(rasa.engine).get_indexes("events")}
    assert {"ix_events_session_start", "ix_events_sender_timestamp"} <= names
    assert "ix_events_session_start" not in {i.name for i in rasa.SQLEvent.__table__.indexes}


async def test_saves_without_keeping_as_rasa_does(domain: Domain, tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = make_store(domain, path, keep=0)
    tracker = await new_conversation(store, "a")
    tracker.update_with_events(
        [ActionExecuted("action_session_start"), SessionStarted(), *turn("next day")], None
    )
    await store.save(tracker)  # counts the stored rows of the session, as Rasa does
    fresh = await store.get_or_create_tracker("a")
    fresh.update_with_events(turn("again"), None)
    await store.save(fresh)
    assert await stored_rows(domain, path, "a") == len(tracker.events) + 4


async def test_hands_out_project_trackers(domain: Domain, tmp_path: Path) -> None:
    store = make_store(domain, tmp_path / "t.db")
    created = await new_conversation(store, "a")
    assert type(created) is ProjectTracker
    assert type(created.copy()) is ProjectTracker
    store._known.clear()  # read back from the database
    assert type(await store.retrieve("a")) is ProjectTracker


async def test_a_tracker_rasa_made_is_stored_not_kept(domain: Domain, tmp_path: Path) -> None:
    store = make_store(domain, tmp_path / "t.db")
    made_by_rasa = DialogueStateTracker("a", domain.slots)  # as the failsafe wrapper makes it
    made_by_rasa.update_with_events(turn("hello"), None)
    await store.save(made_by_rasa)
    again = await store.retrieve("a")
    assert type(again) is ProjectTracker and again is not made_by_rasa
    assert list(again.events) == list(made_by_rasa.events)


async def test_stock_trackers_with_tuning_off(
    domain: Domain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASA_TUNING", "off")
    store = make_store(domain, tmp_path / "t.db")
    tracker = await new_conversation(store, "a")
    assert type(tracker) is DialogueStateTracker
    assert await store.retrieve("a") is tracker  # still kept
