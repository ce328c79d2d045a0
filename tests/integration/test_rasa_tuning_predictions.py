"""The loaded policies predict what Rasa's own code predicts, reading only recent states.

The trained model's memoization and rule policies (``config.yml``) once loaded copy only
the states they read (``IncrementalStatesFeaturizer.prediction_states``): the last
``max_history``, or one more than the longest rule. Their predictions are compared with
the same policies on Rasa's own featurizer and look-up, on every prefix of every story.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.rule_policy import RULES, RULES_NOT_IN_STORIES, RulePolicy
from rasa.engine import loader
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event

from bot.rasa_ext.tuning import rules
from bot.rasa_ext.tuning.graph import SequentialGraphRunner
from bot.rasa_ext.tuning.policies import IncrementalStatesFeaturizer
from bot.rasa_ext.tuning.trackers import ProjectTracker
from tests.rasa_stories import story_events, twists

MODEL = Path(__file__).resolve().parents[2] / "models" / "current.tar.gz"
Loaded = tuple[MemoizationPolicy, RulePolicy, Domain]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run scripts/install first")
    folder = tmp_path_factory.mktemp("model")
    metadata, runner = loader.load_predict_graph_runner(
        folder, MODEL, LocalModelStorage, SequentialGraphRunner
    )
    components = [node._component for node in runner._instantiated_nodes.values()]
    [rule] = [c for c in components if isinstance(c, RulePolicy)]
    [memo] = [
        c for c in components if type(c) is not rule.__class__ and isinstance(c, MemoizationPolicy)
    ]
    return memo, rule, metadata.domain


def stock_twin(policy: MemoizationPolicy) -> MemoizationPolicy:
    """The same trained policy on Rasa's featurizer and Rasa's rule look-up."""
    twin = copy.copy(policy)
    twin.__dict__.pop(rules.ATTRIBUTE, None)
    plain = MaxHistoryTrackerFeaturizer(None, max_history=policy.featurizer.max_history)
    twin._Policy__featurizer = plain  # type: ignore[attr-defined]  # a read-only property
    return twin


def conversations(domain: Domain) -> list[list[Event]]:
    stories = story_events(domain)
    return [*stories, [*stories[0], *twists(), *stories[0], *twists(), *stories[1]]]


def test_the_rule_policy_reads_one_state_more_than_its_longest_rule(loaded: Loaded) -> None:
    _, rule, _ = loaded
    assert isinstance(rule.featurizer, IncrementalStatesFeaturizer)
    assert rule.featurizer.max_history is None
    assert rule.featurizer.window == rules.longest_rule(rule) + 1 > 1


def test_rule_predictions_equal_rasas_on_every_prefix(loaded: Loaded) -> None:
    _, rule, domain = loaded
    twin = stock_twin(rule)
    not_in_stories = rule.lookup.get(RULES_NOT_IN_STORIES, [])
    checks = longer = 0
    for events in conversations(domain):
        tracker = ProjectTracker.from_events("grown", [], slots=domain.slots)
        for event in events:
            tracker.update(event)
            for use_text in (True, False):
                mine = rule._find_action_from_rules(tracker, domain, use_text)
                rasas = RulePolicy._find_action_from_rules(twin, tracker, domain, use_text)
                assert (mine[0], mine[2]) == (rasas[0], rasas[2])
                if mine[1] in rule.lookup[RULES] or rasas[1] in rule.lookup[RULES]:
                    assert mine[1] == rasas[1]  # the rule that applied
                assert (mine[1] in not_in_stories) == (rasas[1] in not_in_stories)
                checks += 1
                longer += len(tracker.events) > 3 * rule.featurizer.window
            expected = twin.predict_action_probabilities(tracker, domain)
            got = rule.predict_action_probabilities(tracker, domain)
            assert got.probabilities == expected.probabilities
            assert (got.events, got.hide_rule_turn) == (expected.events, expected.hide_rule_turn)
    assert checks > 8000 and longer > 1000  # many conversations longer than the window


def test_memoization_predictions_equal_rasas_on_every_prefix(loaded: Loaded) -> None:
    memo, _, domain = loaded
    twin = stock_twin(memo)
    checks = 0
    for events in conversations(domain):
        tracker = ProjectTracker.from_events("grown", [], slots=domain.slots)
        for event in events:
            tracker.update(event)
            got = memo.predict_action_probabilities(tracker, domain)
            assert (
                got.probabilities
                == twin.predict_action_probabilities(tracker, domain).probabilities
            )
            checks += 1
    assert checks > 4000
