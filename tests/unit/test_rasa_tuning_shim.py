"""The shim installs every patch, proves each took effect, and runs stock Rasa when told."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import rasa
import yaml
from rasa.core.actions.action import RemoteAction
from rasa.core.lock_store import InMemoryLockStore
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig
from sanic import Blueprint

from bot.channels import lifecycle
from bot.rasa_ext import tuning
from bot.rasa_ext.answers.confirmations import ConfirmationPolicy
from bot.rasa_ext.answers.did_you_mean import DidYouMeanPolicy
from bot.rasa_ext.answers.digressions import DigressionPolicy
from bot.rasa_ext.answers.rating import RatingAnswerPolicy
from bot.rasa_ext.answers.requests import MultiRequestPolicy
from bot.rasa_ext.tuning import Patch, TuningError, heap, registry
from bot.rasa_ext.tuning.endpoints import kept_session
from bot.rasa_ext.tuning.policies import (
    IncrementalMemoizationPolicy,
    IncrementalStatesFeaturizer,
    RememberingRulePolicy,
)

ROOT = Path(__file__).resolve().parents[2]
PATCHES = tuning.patches()


@pytest.fixture
def stock() -> Iterator[None]:
    """Stock Rasa before and after the test."""
    tuning.uninstall()
    yield
    tuning.uninstall()


@pytest.mark.usefixtures("stock")
@pytest.mark.parametrize("patch", PATCHES, ids=[p.target for p in PATCHES])
def test_each_patch_takes_effect_and_is_undone(patch: Patch) -> None:
    rasas = patch.current()
    assert tuning.tune_rasa({}) is True
    assert tuning.installed(patch)
    assert patch.current() is tuning.replacement(patch) is not rasas
    tuning.uninstall()
    assert not tuning.installed(patch)
    assert patch.current() is rasas


@pytest.mark.usefixtures("stock")
def test_installing_twice_keeps_rasas_originals() -> None:
    rasas = [patch.current() for patch in PATCHES]
    tuning.tune_rasa({})
    first = [patch.current() for patch in PATCHES]
    tuning.tune_rasa({})
    assert [patch.current() for patch in PATCHES] == first
    tuning.uninstall()
    assert [patch.current() for patch in PATCHES] == rasas


@pytest.mark.usefixtures("stock")
def test_originals_are_rasas_while_patched() -> None:
    rasas = RemoteAction._validate_action_result
    tuning.tune_rasa({})
    assert RemoteAction._validate_action_result is not rasas
    assert tuning.original(RemoteAction, "_validate_action_result") is rasas


@pytest.mark.usefixtures("stock")
def test_a_missing_target_fails_loudly_and_installs_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    renamed = Patch(Domain, "is_empty_renamed", lambda original: original, "a test")
    monkeypatch.setattr(registry, "PATCHES", (*registry.PATCHES, renamed))
    rasas = [patch.current() for patch in PATCHES]
    with pytest.raises(
        TuningError, match=r"has no rasa\.shared\.core\.domain\.Domain\.is_empty_renamed"
    ):
        tuning.tune_rasa({})
    assert [patch.current() for patch in PATCHES] == rasas


@pytest.mark.usefixtures("stock")
def test_another_rasa_version_runs_stock_rasa(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    rasas = [patch.current() for patch in PATCHES]
    with caplog.at_level(logging.INFO, logger="bot.rasa_ext.tuning"):
        assert tuning.tune_rasa({}) is False
    assert [patch.current() for patch in PATCHES] == rasas
    assert [r.getMessage() for r in caplog.records] == [
        "rasa 3.7.0 is not 3.6.21: run-time fixes not installed, running stock Rasa"
    ]


@pytest.mark.usefixtures("stock")
@pytest.mark.parametrize("value", ["off", "OFF", "0", "false"])
def test_the_setting_runs_stock_rasa(value: str, caplog: pytest.LogCaptureFixture) -> None:
    rasas = [patch.current() for patch in PATCHES]
    with caplog.at_level(logging.INFO, logger="bot.rasa_ext.tuning"):
        assert tuning.tune_rasa({tuning.SETTING: value}) is False
    assert [patch.current() for patch in PATCHES] == rasas
    assert "RASA_TUNING=off: run-time fixes not installed" in caplog.text
    assert tuning.tune_rasa({tuning.SETTING: "on"}) is True


def test_every_patch_says_why_no_extension_point_fits() -> None:
    assert len({patch.target for patch in PATCHES}) == len(PATCHES) == 3
    assert all(len(patch.why_no_extension) > 40 for patch in PATCHES)


def test_config_names_the_registered_policies(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    classes = [DefaultV1Recipe._from_registry(p["name"]).clazz for p in config["policies"]]
    # the answer policies (bot/rasa_ext/answers/) sit between Rasa's two
    answers = [
        RatingAnswerPolicy,
        DidYouMeanPolicy,
        MultiRequestPolicy,
        DigressionPolicy,
        ConfirmationPolicy,
    ]
    assert classes == [IncrementalMemoizationPolicy, *answers, RememberingRulePolicy]
    context = ExecutionContext(GraphSchema({}), "test")
    for policy_class in (IncrementalMemoizationPolicy, RememberingRulePolicy):
        policy = policy_class.create(
            policy_class.get_default_config(), LocalModelStorage(tmp_path), Resource("p"), context
        )
        assert type(policy.featurizer) is IncrementalStatesFeaturizer


def test_the_in_memory_lock_store_is_rasas() -> None:
    assert type(InMemoryLockStore()) is InMemoryLockStore  # nothing patched there


async def test_the_channels_freeze_the_loaded_heap_and_close_kept_sessions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blueprint = lifecycle.with_lifecycle(Blueprint("channel"))
    listeners = {listener.event: listener.listener for listener in blueprint._future_listeners}
    assert set(listeners) == {"after_server_start", "after_server_stop"}  # Sanic applies them
    monkeypatch.setattr(heap, "_done", [])
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    frozen: list[bool] = []
    await listeners["after_server_start"]("app", "loop")
    await listeners["after_server_start"]("app", "loop")  # another channel's: once only
    assert frozen == [True]
    async with kept_session(EndpointConfig("http://127.0.0.1:1/webhook")) as session:
        assert not session.closed
    await listeners["after_server_stop"]("app", "loop")
    assert session.closed


@pytest.mark.parametrize("environ", [{"RASA_TUNING": "off"}, {"RASA_TUNING_WITHOUT": "gc_freeze"}])
def test_the_heap_is_not_frozen_when_told(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(heap, "_done", [])
    monkeypatch.setattr(gc, "freeze", lambda: pytest.fail("frozen"))
    assert heap.freeze_loaded_heap(environ) is False


@pytest.mark.usefixtures("stock")
def test_a_patch_can_be_left_out_to_measure_it() -> None:
    left, *kept = PATCHES
    assert tuning.tune_rasa({"RASA_TUNING_WITHOUT": f" {left.name} "}) is True
    assert not tuning.installed(left)
    assert all(tuning.installed(patch) for patch in kept)
    tuning.uninstall()


@pytest.mark.usefixtures("stock")
def test_an_unknown_patch_name_is_refused() -> None:
    with pytest.raises(TuningError, match="no patch named copy"):
        tuning.tune_rasa({"RASA_TUNING_WITHOUT": "copy"})
    assert not any(tuning.installed(patch) for patch in PATCHES)
