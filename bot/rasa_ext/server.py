"""Rasa's command line with the project's run-time fixes: ``python -m bot.rasa_ext.server run ...``.

The Rasa server runs through this module (``tools/devstack.py``, the compose file);
``bot/rasa_ext/tuning`` says what the fixes are. ``RASA_TUNING=off`` in the environment
runs stock Rasa (so does any Rasa other than the pinned one, saying so in the log).

The HTTP API's token comes from ``RASA_AUTH_TOKEN`` in the environment, not from the
command line, where ``ps`` and ``/proc/<pid>/cmdline`` show it to every user: for
``run`` it is added to Python's copy of the arguments (``sys.argv``) before Rasa
parses them. ``run --enable-api`` without a token (or ``--jwt-secret``) is refused.
"""

from __future__ import annotations

import os
import sys

TOKEN_ENV = "RASA_AUTH_TOKEN"
_AUTH_OPTIONS = ("--auth-token", "--jwt-secret")


def with_auth_token(argv: list[str], environ: dict[str, str] | None = None) -> list[str]:
    """``argv`` (without the program) with ``--auth-token`` from ``RASA_AUTH_TOKEN`` for ``run``.

    Raises ``SystemExit`` when ``run --enable-api`` would serve the API without auth.
    """
    if argv[:1] != ["run"] or argv[1:2] == ["actions"]:
        return argv
    given = any(arg.split("=", 1)[0] in _AUTH_OPTIONS for arg in argv)
    token = (os.environ if environ is None else environ).get(TOKEN_ENV, "")
    if token and not given:
        return [*argv, "--auth-token", token]
    if "--enable-api" in argv and not given:
        raise SystemExit(
            f"rasa_server: {TOKEN_ENV} is not set: Rasa's HTTP API (--enable-api) "
            "never runs without a token (scripts/env.sh makes one in var/secrets.env)"
        )
    return argv


def main() -> None:
    """Rasa's own ``main`` after ``tune_rasa`` (which logs why when it installs nothing)."""
    sys.argv[1:] = with_auth_token(sys.argv[1:])

    from rasa.__main__ import main as rasa_main

    from bot.rasa_ext.tuning import tune_rasa

    tune_rasa()
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
