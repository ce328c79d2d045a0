"""RulePolicy's state description is made only when debug lines are logged."""

from __future__ import annotations

import logging

import pytest
import rasa
from rasa.core.policies.policy import Policy

from bot.rasa_ext.tuning.debuglog import format_tracker_states
from bot.rasa_ext.tuning.policies import RememberingRulePolicy

STATES = [{"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}}]


def test_nothing_when_debug_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("rasa.core.policies.rule_policy")
    monkeypatch.setattr(logger, "level", logging.INFO)
    logger.manager._clear_cache()  # type: ignore[attr-defined]
    assert format_tracker_states(STATES) == ""
    logger.manager._clear_cache()  # type: ignore[attr-defined]


def test_rasas_text_when_debug_is_on(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("rasa.core.policies.rule_policy")
    monkeypatch.setattr(logger, "level", logging.DEBUG)
    monkeypatch.setattr(logger.manager, "disable", 0)
    logger.manager._clear_cache()  # type: ignore[attr-defined]
    assert format_tracker_states(STATES) == Policy.format_tracker_states(STATES) != ""
    logger.manager._clear_cache()  # type: ignore[attr-defined]


@pytest.mark.parametrize("stock", ["RASA_TUNING=off", "another Rasa"])
def test_rasas_text_when_tuning_is_off(stock: str, monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("rasa.core.policies.rule_policy")
    monkeypatch.setattr(logger, "level", logging.INFO)
    if stock == "RASA_TUNING=off":
        monkeypatch.setenv("RASA_TUNING", "off")
    else:
        monkeypatch.setattr(rasa, "__version__", "3.7.0")
    logger.manager._clear_cache()  # type: ignore[attr-defined]
    assert RememberingRulePolicy.format_tracker_states(STATES) == Policy.format_tracker_states(
        STATES
    )
    logger.manager._clear_cache()  # type: ignore[attr-defined]


def test_the_rule_policy_uses_it() -> None:
    assert RememberingRulePolicy.format_tracker_states is format_tracker_states
    assert Policy.format_tracker_states is not format_tracker_states  # Rasa's is untouched
