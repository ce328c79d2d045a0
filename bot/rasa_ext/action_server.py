"""The action server: rasa-sdk's own app that answers only Rasa, on loopback by default.

    ACTION_SERVER_TOKEN=... python -m bot.rasa_ext.action_server --logging-config-file logging.yml

rasa-sdk 3.6 checks no caller and ``rasa run actions`` listens on every interface, so
anyone who reached the port could post a forged tracker to ``/webhook`` and run any
action. Here the app is rasa-sdk's ``create_app`` with a request middleware in front
of every route but ``/health``: a call without ``Authorization: Bearer <token>`` is
refused with 401. The token is the shared secret ``ACTION_SERVER_TOKEN`` (from the
environment only, never the command line; scripts/env.sh makes one), which Rasa
sends through ``action_endpoint.headers`` in endpoints.yml. The server binds to
``ACTIONS_HOST`` (``--host``), 127.0.0.1 unless a deployment needs otherwise (the
compose file: 0.0.0.0 inside its private network). The other options are
``rasa run actions``'s. ``/metrics`` gives this process's Prometheus figures
(``bot.metrics``) to a scraper with the same token.

Start-up and shutdown: each server process (each Sanic worker) builds its bundle once
before it serves (``bot.bootstrap``: the state engine, the shared HTTP clients, the
actions' services), installs it in ``bot.services`` for the actions rasa-sdk makes, and
closes its clients when it stops (``attach_bundle``).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import logging
import os
import sys
import types
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when used: tools.devstack reads the names below without Sanic
    from sanic import Sanic
    from sanic.request import Request
    from sanic.response import HTTPResponse

    from bot.services import Bundle

TOKEN_ENV = "ACTION_SERVER_TOKEN"
HOST_ENV = "ACTIONS_HOST"
DEFAULT_HOST = "127.0.0.1"
MIN_TOKEN_LENGTH = 16
OPEN_PATHS = frozenset({"/health"})  # says "ok" and nothing else
SCHEME = "Bearer"

logger = logging.getLogger("bot.rasa_ext.action_server")  # also when run with -m


class MissingTokenError(RuntimeError):
    """The action server has no (or too short a) shared secret to check callers with."""


def token_from_env(environ: dict[str, str] | None = None) -> str:
    """``ACTION_SERVER_TOKEN``, or ``MissingTokenError`` saying how to set it."""
    token = (os.environ if environ is None else environ).get(TOKEN_ENV, "").strip()
    if len(token) < MIN_TOKEN_LENGTH:
        problem = "is not set" if not token else f"is shorter than {MIN_TOKEN_LENGTH} characters"
        raise MissingTokenError(
            f"{TOKEN_ENV} {problem}: the action server refuses to run without the secret "
            "Rasa sends (endpoints.yml, action_endpoint.headers). scripts/env.sh generates "
            "one into var/secrets.env; elsewhere set it, e.g. to `openssl rand -hex 24`."
        )
    return token


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).digest()


def require_token(app: Sanic, token: str) -> None:
    """Refuse every request but ``/health`` that lacks ``Authorization: Bearer <token>``.

    The comparison takes the same time wherever the given value differs (digests of
    equal length compared with ``hmac.compare_digest``).
    """
    from sanic import response

    expected = _digest(token)

    async def check_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == SCHEME.lower() and hmac.compare_digest(
            _digest(given.strip()), expected
        ):
            return None
        logger.warning("Refused %s %s: no valid action server token", request.method, request.path)
        return response.json(
            {"error": "unauthorized"}, status=401, headers={"WWW-Authenticate": SCHEME}
        )

    app.register_middleware(check_token, "request")


def create_action_app(
    actions: str | types.ModuleType,
    token: str,
    cors_origins: str | list[str] | None = None,
    auto_reload: bool = False,
) -> Sanic:
    """rasa-sdk's app for the action package ``actions``, refusing callers without ``token``."""
    from rasa_sdk.endpoint import create_app

    app = create_app(actions, cors_origins=cors_origins, auto_reload=auto_reload)
    require_token(app, token)
    app.add_route(metrics, "/metrics", methods=["GET"])
    return app


def attach_bundle(app: Sanic, build: Callable[[], Bundle]) -> None:
    """Build the process's bundle once before the server starts and install it
    (``bot.services``); close its HTTP clients and engines after the server stops."""
    from bot import services

    async def install(_app: Sanic, _loop: object) -> None:
        services.install(build())

    async def close(_app: Sanic, _loop: object) -> None:
        await services.close()

    app.register_listener(install, "before_server_start")
    app.register_listener(close, "after_server_stop")


async def metrics(_request: Request) -> HTTPResponse:
    """GET /metrics: this process's Prometheus figures (behind the token)."""
    from sanic import response

    from bot.metrics import exposition

    body, content_type = exposition()
    return response.raw(body, content_type=content_type)


def create_argument_parser() -> argparse.ArgumentParser:
    """``rasa run actions``'s options with ``--host``."""
    from rasa_sdk import utils
    from rasa_sdk.cli.arguments import add_endpoint_arguments

    parser = argparse.ArgumentParser(
        prog="python -m bot.rasa_ext.action_server", description=__doc__.splitlines()[0]
    )
    add_endpoint_arguments(parser)  # --port, --cors, --actions, --ssl-*, --auto-reload
    parser.set_defaults(actions="actions")
    parser.add_argument(
        "--host",
        default=os.environ.get(HOST_ENV) or DEFAULT_HOST,
        help=f"interface to listen on (default: ${HOST_ENV} or {DEFAULT_HOST})",
    )
    utils.add_logging_level_option_arguments(parser)
    parser.add_argument("--log-file", default=None, help="also write the logs to this file")
    parser.add_argument("--logging-config-file", default=None, help="logging YAML (logging.yml)")
    return parser


def serve(args: argparse.Namespace, token: str) -> None:
    """Configure logging as rasa-sdk does, then run the app with Sanic (blocks)."""
    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_ssl_context
    from rasa_sdk.plugin import plugin_manager

    from bot.bootstrap import ACTION_SERVER, bootstrap

    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    app = create_action_app(args.actions, token, args.cors, args.auto_reload)
    attach_bundle(app, lambda: bootstrap(ACTION_SERVER))
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    protocol = "https" if ssl_context else "http"
    logger.info("Action server on %s://%s:%s (token required)", protocol, args.host, args.port)
    app.run(args.host, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: refuse to start without a token, else serve until stopped."""
    args = create_argument_parser().parse_args(argv)
    try:
        token = token_from_env()
    except MissingTokenError as exc:
        print(f"action server: {exc}", file=sys.stderr)
        return 2
    serve(args, token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
