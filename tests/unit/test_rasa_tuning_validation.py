"""Action-server responses are accepted and refused exactly as Rasa's own check does."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema.exceptions import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_ext import tuning
from bot.rasa_ext.tuning.validation import _response_validator, validate_action_result

ACTION = RemoteAction("action_check_balance", EndpointConfig("http://127.0.0.1:1/webhook"))
RASA_VALIDATE = tuning.original(RemoteAction, "_validate_action_result")

VALID: list[dict[str, Any]] = [
    {},
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "language", "value": "zh"}],
        "responses": [{"text": "余额 12.50 元", "buttons": [], "custom": {"sms": True}}],
    },
]
INVALID: list[dict[str, Any]] = [
    {"events": "not a list"},
    {"events": [{"name": "language"}]},  # an event without its type
    {"responses": "not a list"},
    {"events": [], "responses": [42]},
]


@pytest.mark.parametrize("result", VALID)
def test_a_valid_response_is_accepted(result: dict[str, Any]) -> None:
    assert RASA_VALIDATE(ACTION, result) is True
    assert validate_action_result(ACTION, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_an_invalid_response_fails_with_rasas_error(result: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as rasas:
        RASA_VALIDATE(ACTION, result)
    with pytest.raises(ValidationError) as ours:
        validate_action_result(ACTION, result)
    assert ours.value.message == rasas.value.message
    assert list(ours.value.absolute_path) == list(rasas.value.absolute_path)
    assert "Failed to validate Action server response" in ours.value.message


def test_the_validator_is_built_once() -> None:
    validate_action_result(ACTION, VALID[1])
    validate_action_result(ACTION, VALID[2])
    assert _response_validator.cache_info().currsize == 1
    assert _response_validator.cache_info().hits >= 1
