"""After Rasa loads its model, the garbage collector leaves what is alive alone."""

from __future__ import annotations

import gc
from typing import Any

import pytest
import rasa.core.run

from bot.rasa_ext import tuning
from bot.rasa_ext.tuning.collector import YOUNG_THRESHOLD, freezing


class _FakeCollector:
    """Records what is asked of ``gc`` instead of doing it to the test process."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.threshold = (700, 10, 10)

    def collect(self) -> int:
        self.calls.append("collect")
        return 0

    def freeze(self) -> None:
        self.calls.append("freeze")

    def get_threshold(self) -> tuple[int, int, int]:
        return self.threshold

    def set_threshold(self, *threshold: int) -> None:
        self.calls.append("set_threshold")
        self.threshold = threshold  # type: ignore[assignment]


@pytest.fixture
def collector(monkeypatch: pytest.MonkeyPatch) -> _FakeCollector:
    fake = _FakeCollector()
    for name in ("collect", "freeze", "get_threshold", "set_threshold"):
        monkeypatch.setattr(gc, name, getattr(fake, name))
    return fake


async def test_freezes_once_the_agent_is_loaded(collector: _FakeCollector) -> None:
    agent = object()

    async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
        assert collector.calls == []  # nothing before Rasa's own load
        assert args == ("model.tar.gz",) and kwargs == {"remote_storage": None}
        return agent

    load = freezing(load_agent_on_start)
    assert load.__wrapped__ is load_agent_on_start  # type: ignore[attr-defined]
    assert await load("model.tar.gz", remote_storage=None) is agent
    assert collector.calls == ["collect", "freeze", "set_threshold"]
    assert collector.threshold == (YOUNG_THRESHOLD, 10, 10)


async def test_a_failed_load_freezes_nothing(collector: _FakeCollector) -> None:
    async def load_agent_on_start(*_args: Any) -> Any:
        raise RuntimeError("no model")

    with pytest.raises(RuntimeError, match="no model"):
        await freezing(load_agent_on_start)()
    assert collector.calls == []


def test_the_shim_wraps_rasas_own_load() -> None:
    tuning.uninstall()
    rasas = rasa.core.run.load_agent_on_start
    try:
        tuning.tune_rasa({})
        assert rasa.core.run.load_agent_on_start.__wrapped__ is rasas  # type: ignore[attr-defined]
    finally:
        tuning.uninstall()
    assert rasa.core.run.load_agent_on_start is rasas
