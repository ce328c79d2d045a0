"""RememberingRulePolicy's kept look-up answers equal Rasa's own, on every prefix of every story.

The policy is the trained model's (``config.yml`` names it), loaded as Rasa loads it.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import rasa
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine import loader
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.tuning import rules
from bot.rasa_ext.tuning.graph import SequentialGraphRunner
from bot.rasa_ext.tuning.policies import IncrementalStatesFeaturizer, RememberingRulePolicy
from tests.rasa_stories import story_events, twists

MODEL = Path(__file__).resolve().parents[2] / "models" / "current.tar.gz"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[RulePolicy, Domain]:
    """The trained model's RulePolicy, loaded as Rasa loads it."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run scripts/install first")
    folder = tmp_path_factory.mktemp("model")
    metadata, runner = loader.load_predict_graph_runner(
        folder, MODEL, LocalModelStorage, SequentialGraphRunner
    )
    found = [
        node._component
        for node in runner._instantiated_nodes.values()
        if isinstance(node._component, RulePolicy)
    ]
    assert len(found) == 1
    assert type(found[0]) is RememberingRulePolicy
    assert type(found[0].featurizer) is IncrementalStatesFeaturizer
    return found[0], metadata.domain


def compare_on_every_prefix(policy: RulePolicy, domain: Domain, stories: list) -> int:
    """Both answers after each event, for both tables and both kinds of states."""
    checks = 0
    for events in stories:
        tracker = DialogueStateTracker.from_events("grown", [], slots=domain.slots)
        for event in events:
            tracker.update(event)
            for use_text in (True, False):
                states = policy._prediction_states(
                    tracker, domain, use_text, rule_only_data=policy._get_rule_only_data()
                )
                for table in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
                    lookup = policy.lookup[table]
                    expected = RulePolicy._get_possible_keys(policy, lookup, states)  # Rasa's
                    assert policy._get_possible_keys(lookup, states) == expected
                    checks += 1
    return checks


def test_loaded_policies_keep_answers(loaded: tuple[RulePolicy, Domain]) -> None:
    policy, _ = loaded
    assert isinstance(policy.__dict__.get(rules.ATTRIBUTE), dict)
    assert policy.lookup[RULES]


def test_same_keys_as_rasa_on_every_prefix(loaded: tuple[RulePolicy, Domain]) -> None:
    policy, domain = loaded
    stories = story_events(domain)
    stories.append([*stories[0], *twists(), *stories[0]])
    checks = compare_on_every_prefix(policy, domain, stories)
    kept = sum(len(answers.kept) for answers in policy.__dict__[rules.ATTRIBUTE].values())
    assert checks > 8000
    assert 0 < kept < checks / 2  # answers were reused


def test_answers_are_not_shared_between_callers(loaded: tuple[RulePolicy, Domain]) -> None:
    policy, domain = loaded
    tracker = DialogueStateTracker.from_events("t", story_events(domain)[0], slots=domain.slots)
    states = policy._prediction_states(tracker, domain, False)
    first = policy._get_possible_keys(policy.lookup[RULES], states)
    first.add("changed by a caller")
    assert "changed by a caller" not in policy._get_possible_keys(policy.lookup[RULES], states)


def test_policies_not_loaded_use_rasas_code(loaded: tuple[RulePolicy, Domain]) -> None:
    policy, domain = loaded
    fresh = copy.copy(policy)
    fresh.__dict__.pop(rules.ATTRIBUTE)
    tracker = DialogueStateTracker.from_events("t", story_events(domain)[0], slots=domain.slots)
    states = fresh._prediction_states(tracker, domain, False)
    lookup = fresh.lookup[RULES]
    assert fresh._get_possible_keys(lookup, states) == RulePolicy._get_possible_keys(
        fresh, lookup, states
    )
    assert rules.ATTRIBUTE not in fresh.__dict__


@pytest.mark.parametrize("stock", ["RASA_TUNING=off", "another Rasa"])
def test_stock_rasa_keeps_no_answers(
    stock: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if stock == "RASA_TUNING=off":
        monkeypatch.setenv("RASA_TUNING", "off")
    else:  # the same version check as the patches'
        monkeypatch.setattr(rasa, "__version__", "3.7.0")
    _, runner = loader.load_predict_graph_runner(
        tmp_path, MODEL, LocalModelStorage, SequentialGraphRunner
    )
    found = [
        node._component
        for node in runner._instantiated_nodes.values()
        if isinstance(node._component, RememberingRulePolicy)
    ]
    assert len(found) == 1 and rules.ATTRIBUTE not in found[0].__dict__
