"""The action server's token and address, and how Rasa's API token reaches Rasa
(``bot.rasa_ext.server``); served on a loopback port in ``tests/loopback``."""

from __future__ import annotations

import pytest

from bot.rasa_ext.action_server import (
    DEFAULT_HOST,
    MissingTokenError,
    create_argument_parser,
    main,
    token_from_env,
)
from bot.rasa_ext.server import with_auth_token
from tools.devstack import free_port

TOKEN = "unit-action-token-0123456789"


def test_a_missing_or_short_token_is_refused_with_a_hint() -> None:
    with pytest.raises(MissingTokenError, match=r"ACTION_SERVER_TOKEN is not set.*env\.sh"):
        token_from_env({})
    with pytest.raises(MissingTokenError, match="shorter than 16"):
        token_from_env({"ACTION_SERVER_TOKEN": "short"})
    assert token_from_env({"ACTION_SERVER_TOKEN": TOKEN}) == TOKEN


def test_the_server_does_not_start_without_a_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    assert main(["--port", str(free_port())]) == 2
    assert "ACTION_SERVER_TOKEN is not set" in capsys.readouterr().err


def test_it_listens_on_loopback_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTIONS_HOST", raising=False)
    args = create_argument_parser().parse_args(["--logging-config-file", "logging.yml"])
    assert (args.host, args.port, args.actions) == (DEFAULT_HOST, 5055, "actions")
    assert args.logging_config_file == "logging.yml"
    monkeypatch.setenv("ACTIONS_HOST", "0.0.0.0")
    assert create_argument_parser().parse_args([]).host == "0.0.0.0"


# Rasa's own API token: from RASA_AUTH_TOKEN into Python's copy of the arguments.


def test_rasa_run_gets_the_auth_token_from_the_environment() -> None:
    env = {"RASA_AUTH_TOKEN": "api-token"}
    run = ["run", "--enable-api", "--port", "5005"]
    assert with_auth_token(run, env) == [*run, "--auth-token", "api-token"]
    assert with_auth_token([*run, "--auth-token", "given"], env)[-1] == "given"
    assert with_auth_token(["test", "core"], env) == ["test", "core"]
    assert with_auth_token(["run", "actions"], env) == ["run", "actions"]


def test_rasa_run_gets_the_jwt_secret_from_the_environment() -> None:
    env = {"RASA_JWT_SECRET": "jwt-secret"}
    run = ["run", "--enable-api"]
    jwt = ["--jwt-secret", "jwt-secret", "--jwt-method", "HS256"]
    assert with_auth_token(run, env) == [*run, *jwt]
    both = with_auth_token(run, {**env, "RASA_AUTH_TOKEN": "api-token"})
    assert both[-2:] == ["--auth-token", "api-token"] and "--jwt-secret" in both


def test_rasa_api_never_runs_without_a_token() -> None:
    with pytest.raises(SystemExit, match="neither RASA_JWT_SECRET nor RASA_AUTH_TOKEN"):
        with_auth_token(["run", "--enable-api"], {})
    assert with_auth_token(["run", "--enable-api", "--jwt-secret=x"], {})[-1] == "--jwt-secret=x"
    assert with_auth_token(["run"], {}) == ["run"]  # no API: nothing to protect
