"""The incremental dialogue states equal Rasa's own, call after call on a growing tracker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import rasa
from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext import tuning
from bot.rasa_ext.tuning.policies import IncrementalStatesFeaturizer
from bot.rasa_ext.tuning.states import _ATTRIBUTE, states_for_tracker_history
from bot.rasa_ext.tuning.trackers import ProjectTracker
from tests.rasa_stories import ROOT, story_events, twists

# Rasa's own: ``Domain.states_for_tracker_history`` is never patched (the policies'
# featurizer calls the incremental version), and the tracker methods it uses are
# Rasa's saved originals while this module's checks run.
RASA_STATES = Domain.states_for_tracker_history


@pytest.fixture(autouse=True)
def stock_rasa() -> Iterator[None]:
    tuning.uninstall()
    yield


RULE_ONLY = {"slots": ["language"], "loops": ["phone_verification_form"]}
ARGUMENTS = [
    {},
    {"omit_unset_slots": True},
    {"ignore_rule_only_turns": True, "rule_only_data": RULE_ONLY},
    {"omit_unset_slots": True, "ignore_rule_only_turns": True, "rule_only_data": RULE_ONLY},
]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain")


@pytest.fixture(scope="module")
def conversations(domain: Domain) -> list[list[Event]]:
    found = story_events(domain)
    assert len(found) > 100
    return found


def grow_and_compare(domain: Domain, events: list[Event]) -> int:
    """Feed ``events`` one by one, comparing both implementations after each; returns checks."""
    tracker = DialogueStateTracker.from_events("grown", [], slots=domain.slots)
    checks = 0
    for event in events:
        tracker.update(event)
        for kwargs in ARGUMENTS:
            expected = RASA_STATES(domain, tracker, **kwargs)
            assert states_for_tracker_history(domain, tracker, **kwargs) == expected
            checks += 1
    return checks


def test_equal_to_rasa_on_every_prefix_of_every_story(
    domain: Domain, conversations: list[list[Event]]
) -> None:
    checks = sum(grow_and_compare(domain, events) for events in conversations)
    assert checks > 4000


def test_equal_after_rewinds_restarts_and_new_sessions(
    domain: Domain, conversations: list[list[Event]]
) -> None:
    story = conversations[0]
    assert grow_and_compare(domain, [*story, *twists(), *story]) > 0


def test_callers_get_copies(domain: Domain, conversations: list[list[Event]]) -> None:
    tracker = DialogueStateTracker.from_events("copies", conversations[0], slots=domain.slots)
    first = states_for_tracker_history(domain, tracker)
    for state in first:
        state.get("user", {}).clear()  # what Rasa's featurizers change
        state.clear()
    assert states_for_tracker_history(domain, tracker) == RASA_STATES(domain, tracker)


def test_one_progress_per_set_of_arguments(
    domain: Domain, conversations: list[list[Event]]
) -> None:
    tracker = DialogueStateTracker.from_events("kept", conversations[0], slots=domain.slots)
    for _ in range(3):
        for kwargs in ARGUMENTS:
            fresh = {**kwargs}
            if "rule_only_data" in fresh:  # RulePolicy builds a new dict on every call
                fresh["rule_only_data"] = {k: list(v) for k, v in RULE_ONLY.items()}
            states_for_tracker_history(domain, tracker, **fresh)
    assert len(tracker.__dict__[_ATTRIBUTE]) == len(ARGUMENTS)


@pytest.mark.parametrize("stock", ["RASA_TUNING=off", "another Rasa"])
def test_the_featurizer_uses_them_for_live_trackers_only(
    stock: str,
    domain: Domain,
    conversations: list[list[Event]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tracker = DialogueStateTracker.from_events("live", conversations[0], slots=domain.slots)
    featurizer = IncrementalStatesFeaturizer(None, max_history=None)
    expected = RASA_STATES(domain, tracker)
    assert featurizer._create_states(tracker, domain) == expected
    assert _ATTRIBUTE in tracker.__dict__
    if stock == "RASA_TUNING=off":
        monkeypatch.setenv("RASA_TUNING", "off")
    else:  # the same version check as the patches'
        monkeypatch.setattr(rasa, "__version__", "3.7.0")
    untuned = DialogueStateTracker.from_events("stock", conversations[0], slots=domain.slots)
    assert featurizer._create_states(untuned, domain) == expected
    assert _ATTRIBUTE not in untuned.__dict__


@pytest.mark.parametrize("max_history", [None, 2, 4])
def test_recent_states_for_prediction_equal_rasas(
    domain: Domain, conversations: list[list[Event]], max_history: int | None
) -> None:
    """With ``action_unlikely_intent`` turns, which Rasa's featurizer drops before slicing."""
    unlikely = ActionExecuted("action_unlikely_intent")
    events = [e for event in conversations[0] for e in (event, unlikely)][:-1]
    ours = IncrementalStatesFeaturizer(None, max_history=max_history)
    rasas = MaxHistoryTrackerFeaturizer(None, max_history=max_history)
    tracker = ProjectTracker.from_events("unlikely", [], slots=domain.slots)
    for event in events:
        tracker.update(event)
        for skip in (True, False):
            for use_text in (True, False):
                kwargs = {
                    "use_text_for_last_user_input": use_text,
                    "ignore_action_unlikely_intent": skip,
                }
                expected = rasas.prediction_states([tracker], domain, **kwargs)
                assert ours.prediction_states([tracker], domain, **kwargs) == expected
