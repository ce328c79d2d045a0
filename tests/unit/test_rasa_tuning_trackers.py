"""ProjectTracker's kept applied events and copies without replay equal Rasa's, on growing
trackers."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.tuning.trackers import ProjectTracker, applied_view
from tests.rasa_stories import ROOT, story_events, twists

RASA_APPLIED = DialogueStateTracker.applied_events
RASA_COPY = DialogueStateTracker.copy


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain")


def snapshot(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Everything a tracker's events decide, comparable with ``==``."""
    return {
        "events": list(tracker.events),
        "slots": {n: (s.value, s.has_been_set) for n, s in tracker.slots.items()},
        "paused": tracker.is_paused(),
        "followup": tracker.followup_action,
        "latest_message": tracker.latest_message,
        "latest_bot": tracker.latest_bot_utterance,
        "latest_action": tracker.latest_action,
        "active_loop": tracker.active_loop,
        "state": tracker.current_state(),
    }


def grow_and_compare(domain: Domain, events: list[Event]) -> int:
    tracker = ProjectTracker.from_events("grown", [], slots=domain.slots)
    checks = 0
    for event in events:
        tracker.update(event)
        expected = RASA_APPLIED(tracker)
        assert applied_view(tracker) == expected
        assert tracker.applied_events() == expected
        duplicate = tracker.copy()
        assert type(duplicate) is ProjectTracker
        assert snapshot(duplicate) == snapshot(RASA_COPY(tracker))
        checks += 1
    return checks


def test_equal_to_rasa_on_every_prefix(domain: Domain) -> None:
    stories = story_events(domain)
    assert sum(grow_and_compare(domain, events) for events in stories) > 1000
    story = stories[0]
    assert grow_and_compare(domain, [*story, *twists(), *story, *twists()]) > 0


def test_a_new_loop_name_rereads_earlier_events(domain: Domain) -> None:
    story = story_events(domain)[0]
    # A loop's name seen for the first time changes how its earlier runs count.
    late_loop = [*twists()[:9], ActiveLoop("phone_verification_form"), *twists()[:9]]
    assert grow_and_compare(domain, [*story, *late_loop]) > 0


def test_callers_get_their_own_list_and_copy(domain: Domain) -> None:
    tracker = ProjectTracker.from_events("own", story_events(domain)[0], domain.slots)
    mine = tracker.applied_events()
    mine.clear()
    assert tracker.applied_events() == RASA_APPLIED(tracker)
    tracker.update_with_events(twists()[:3], None)  # a loop is active
    before = snapshot(tracker)
    duplicate = tracker.copy()
    duplicate.interrupt_loop(True)  # changes the loop's state in place
    duplicate.update(twists()[5])
    assert snapshot(tracker) == before
    assert duplicate.active_loop != tracker.active_loop
