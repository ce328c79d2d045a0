"""The tracker store's failsafe is always on: a store outage is raised in a customer's turn.

It changes what customers get (``bot.channels.guarded`` answers the outage with
"come back later"), so neither ``RASA_TUNING=off`` nor the speed-ups' version check
removes it, and a Rasa it was not written for stops the server from starting.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import rasa
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext import failsafe, tuning
from bot.rasa_ext.failsafe import (
    FailsafeError,
    failsafe_installed,
    install_failsafe,
    strict_tracker_store,
    uninstall_failsafe,
)
from bot.rasa_ext.server import prepare_rasa

CUSTOMER = "+8613800000001"
RASAS = {name: FailSafeTrackerStore.__dict__[name] for name in failsafe.HANDLERS}


class _Unreachable(InMemoryTrackerStore):
    async def retrieve(self, sender_id: str) -> Any:
        raise ConnectionError("database unreachable")

    async def save(self, tracker: DialogueStateTracker) -> None:
        raise ConnectionError("database unreachable")


@pytest.fixture(autouse=True)
def stock() -> Iterator[None]:
    """Stock Rasa before and after the test."""
    uninstall_failsafe()
    tuning.uninstall()
    yield
    uninstall_failsafe()
    tuning.uninstall()


def _handlers() -> dict[str, Any]:
    return {name: FailSafeTrackerStore.__dict__[name] for name in RASAS}


async def _raises_only_in_a_customers_turn() -> None:
    store = FailSafeTrackerStore(_Unreachable(Domain.empty()))
    assert await store.retrieve(CUSTOMER) is None  # Rasa's own behaviour
    with strict_tracker_store(), pytest.raises(ConnectionError, match="unreachable"):
        await store.retrieve(CUSTOMER)
    with strict_tracker_store(), pytest.raises(ConnectionError, match="unreachable"):
        await store.save(DialogueStateTracker(CUSTOMER, []))


async def test_the_fail_safe_store_raises_only_in_a_customers_turn() -> None:
    install_failsafe()
    assert failsafe_installed()
    await _raises_only_in_a_customers_turn()
    uninstall_failsafe()
    assert _handlers() == RASAS
    store = FailSafeTrackerStore(_Unreachable(Domain.empty()))
    with strict_tracker_store():
        assert await store.retrieve(CUSTOMER) is None  # stock Rasa


@pytest.mark.parametrize("value", ["off", "0", "false"])
async def test_the_entry_point_installs_it_with_tuning_off(value: str) -> None:
    assert prepare_rasa({tuning.SETTING: value}) is False  # no speed-up installed
    assert not any(tuning.installed(patch) for patch in tuning.patches())
    assert failsafe_installed()
    await _raises_only_in_a_customers_turn()


async def test_the_entry_point_installs_it_with_tuning_on() -> None:
    assert prepare_rasa({}) is True
    assert failsafe_installed()
    await _raises_only_in_a_customers_turn()


def test_tuning_patches_nothing_of_the_fail_safe_store() -> None:
    assert all(patch.owner is not FailSafeTrackerStore for patch in tuning.patches())
    tuning.tune_rasa({})
    assert _handlers() == RASAS


def test_installing_twice_wraps_rasas_handlers_once() -> None:
    install_failsafe()
    first = _handlers()
    install_failsafe()
    assert _handlers() == first
    assert all(first[name].__wrapped__ is RASAS[name] for name in failsafe.HANDLERS)


@pytest.mark.parametrize("version", ["3.7.0", "3.5.17", "4.0.0"])
def test_another_rasa_refuses_to_start(version: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa, "__version__", version)
    with pytest.raises(FailsafeError, match=rf"rasa {version} is not 3\.6\.x"):
        prepare_rasa({tuning.SETTING: "off"})
    assert not failsafe_installed() and _handlers() == RASAS


def test_any_rasa_3_6_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa, "__version__", "3.6.0")
    install_failsafe()
    assert failsafe_installed()


def test_a_missing_handler_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(failsafe, "HANDLERS", (*failsafe.HANDLERS, "on_renamed_error"))
    with pytest.raises(FailsafeError, match="has no on_renamed_error"):
        install_failsafe()
    assert _handlers() == RASAS
