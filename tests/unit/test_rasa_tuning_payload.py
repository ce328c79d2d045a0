"""The action server's body from kept encoded events equals Rasa's, on growing trackers."""

from __future__ import annotations

import json

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import EntitiesAdded, Event, UserUtteranceReverted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.rasa_ext import fastjson
from bot.rasa_ext.tuning.trackers import ProjectTracker
from tests.rasa_stories import ROOT, story_events, twists

ALL = EventVerbosity.ALL


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain")


def body(tracker: DialogueStateTracker) -> dict:
    """The action server's request body as it reaches the action server."""
    return json.loads(
        fastjson.dumps_body({"next_action": "a", "tracker": tracker.current_state(ALL)})
    )


def rasas(tracker: DialogueStateTracker) -> dict:
    state = DialogueStateTracker.current_state(tracker, ALL)
    return json.loads(json.dumps({"next_action": "a", "tracker": state}))


def grow_and_compare(domain: Domain, events: list[Event]) -> int:
    tracker = ProjectTracker.from_events("grown", [], slots=domain.slots)
    for event in events:
        tracker.update(event)
        expected = rasas(tracker)
        assert body(tracker) == expected
        copy = tracker.copy()  # Rasa runs each action on a copy
        assert body(copy) == expected
        copy.update(UserUttered("on the copy only", {"name": "greet"}))
        assert body(copy) == rasas(copy)
        assert body(tracker) == expected
    return len(events)


def test_equal_to_rasa_on_every_prefix(domain: Domain) -> None:
    stories = story_events(domain)
    assert sum(grow_and_compare(domain, events) for events in stories) > 1000
    assert grow_and_compare(domain, [*stories[0], *twists(), *stories[1], *twists()]) > 0


def test_entities_added_to_an_earlier_message_are_seen(domain: Domain) -> None:
    tracker = ProjectTracker.from_events("t", story_events(domain)[0], domain.slots)
    tracker.update(UserUttered("my number", {"name": "inform"}))
    tracker.update(UserUttered("oops", {"name": "greet"}))
    body(tracker)  # both messages kept
    tracker.update(UserUtteranceReverted())  # the earlier message is the latest again
    tracker.update(EntitiesAdded([{"entity": "phone", "value": "13800000000"}]))
    assert body(tracker) == rasas(tracker)
    assert "13800000000" in json.dumps(body(tracker))


def test_only_one_encoded_value_is_spliced() -> None:
    encoded = fastjson.Encoded([1, {"a": "b"}], '[1,{"a":"b"}]')
    assert json.loads(fastjson.dumps_body({"x": {"events": encoded}, "y": 2})) == {
        "x": {"events": [1, {"a": "b"}]},
        "y": 2,
    }
    twice = {"x": {"events": encoded}, "y": encoded}
    assert json.loads(fastjson.dumps_body(twice)) == {
        "x": {"events": [1, {"a": "b"}]},
        "y": [1, {"a": "b"}],
    }


def test_a_value_that_looks_like_the_placeholder_is_written_as_it_is() -> None:
    encoded = fastjson.Encoded([1], "[1]")
    tricky = {"slot": "\x00encoded\x00", "tracker": {"events": encoded}}
    assert json.loads(fastjson.dumps_body(tricky)) == {
        "slot": "\x00encoded\x00",
        "tracker": {"events": [1]},
    }
