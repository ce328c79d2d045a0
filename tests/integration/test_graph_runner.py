"""The sequential graph runner gives what Rasa's dask runner gives, on the trained model."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine import loader
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.tuning.graph import SequentialGraphRunner

MODEL = Path(__file__).resolve().parents[2] / "models" / "current.tar.gz"
TEXTS = ["查余额", "how much data is left?", "推荐套餐", "TD VRBT", "2", "asdfgh", "转人工"]


@pytest.fixture(scope="module")
def runners(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run scripts/install first")
    loaded = []
    for runner_class in (DaskGraphRunner, SequentialGraphRunner):
        folder = tmp_path_factory.mktemp(runner_class.__name__)
        loaded.append(
            loader.load_predict_graph_runner(folder, MODEL, LocalModelStorage, runner_class)
        )
    return loaded


def parse(metadata, runner, text: str):  # type: ignore[no-untyped-def]
    tracker = DialogueStateTracker("t", metadata.domain.slots)
    message = UserMessage(text, sender_id="t")
    result = runner.run(
        inputs={PLACEHOLDER_MESSAGE: [message], PLACEHOLDER_TRACKER: tracker},
        targets=[metadata.nlu_target],
    )
    return result[metadata.nlu_target][0]


def test_same_parse_for_every_text(runners) -> None:  # type: ignore[no-untyped-def]
    (metadata, dask_runner), (_, sequential) = runners
    for text in TEXTS:
        expected = parse(metadata, dask_runner, text)
        got = parse(metadata, sequential, text)
        assert got.get("intent") == expected.get("intent")
        assert got.get("intent_ranking") == expected.get("intent_ranking")
        assert got.get("entities") == expected.get("entities")


def test_same_prediction_for_every_turn(runners) -> None:  # type: ignore[no-untyped-def]
    (metadata, dask_runner), (_, sequential) = runners
    tracker = DialogueStateTracker("t", metadata.domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    for text in TEXTS:
        parsed = parse(metadata, dask_runner, text)
        tracker.update(UserUttered(text, parsed.get("intent"), parsed.get("entities")))
        expected = dask_runner.run({PLACEHOLDER_TRACKER: tracker}, [metadata.core_target])
        got = sequential.run({PLACEHOLDER_TRACKER: tracker}, [metadata.core_target])
        one, other = expected[metadata.core_target], got[metadata.core_target]
        assert (other.policy_name, other.probabilities) == (one.policy_name, one.probabilities)
        tracker.update(ActionExecuted("action_listen"))


def test_an_input_named_like_a_node_is_refused(runners) -> None:  # type: ignore[no-untyped-def]
    (metadata, _), (_, sequential) = runners
    with pytest.raises(GraphRunError, match="clashes"):
        sequential.run({metadata.nlu_target: "x"}, [metadata.nlu_target])
