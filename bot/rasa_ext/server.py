"""Rasa's command line with the project's run-time fixes: ``python -m bot.rasa_ext.server run ...``.

The Rasa server runs through this module (``tools/devstack.py``, the compose file).
It always installs the tracker store's failsafe (``bot.rasa_ext.failsafe``: a store
outage reaches the customer's channel instead of an answer out of context), and
refuses to start on a Rasa it was not written for. Then the speed-ups
(``bot/rasa_ext/tuning``): ``RASA_TUNING=off`` in the environment runs Rasa's own
code there (so does any Rasa other than the pinned one, saying so in the log).

The HTTP API's secrets come from the environment, not from the command line, where
``ps`` and ``/proc/<pid>/cmdline`` show them to every user: for ``run`` they are added
to Python's copy of the arguments (``sys.argv``) before Rasa parses them.
``RASA_JWT_SECRET`` becomes ``--jwt-secret`` (HS256): the console and the notice
scheduler sign short-lived tokens with it and send them in the ``Authorization``
header (``bot.handoff.rasa_api``), so no secret rides in a URL. ``RASA_AUTH_TOKEN``,
optional, becomes ``--auth-token`` (Rasa takes it only as ``?token=``, which access
logs record; no caller of the project uses it). ``run --enable-api`` without either is
refused.

Before anything imports TensorFlow, ``main`` keeps a library the server never uses out
of its memory (``bot.rasa_ext.lean``).

Before Rasa makes its channels (from credentials.yml) and its NLG, ``main`` builds the
process's bundle once (``bot.bootstrap``: the channels' stores, the SMS sender, the
shared HTTP clients) and installs it in ``bot.services``, where they read it; the
channels close its clients when the server stops (``bot.channels.lifecycle``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

TOKEN_ENV = "RASA_AUTH_TOKEN"
JWT_ENV = "RASA_JWT_SECRET"
JWT_METHOD = "HS256"
_AUTH_OPTIONS = ("--auth-token", "--jwt-secret")


def with_auth_token(argv: list[str], environ: dict[str, str] | None = None) -> list[str]:
    """``argv`` (without the program) with the API's secrets from the environment for ``run``:
    ``--jwt-secret`` from ``RASA_JWT_SECRET``, ``--auth-token`` from ``RASA_AUTH_TOKEN``.

    Raises ``SystemExit`` when ``run --enable-api`` would serve the API without auth.
    """
    if argv[:1] != ["run"] or argv[1:2] == ["actions"]:
        return argv
    if any(arg.split("=", 1)[0] in _AUTH_OPTIONS for arg in argv):
        return argv  # given on the command line (stock Rasa in the benchmark)
    env = os.environ if environ is None else environ
    added: list[str] = []
    if env.get(JWT_ENV, ""):
        added += ["--jwt-secret", env[JWT_ENV], "--jwt-method", JWT_METHOD]
    if env.get(TOKEN_ENV, ""):
        added += ["--auth-token", env[TOKEN_ENV]]
    if "--enable-api" in argv and not added:
        raise SystemExit(
            f"rasa_server: neither {JWT_ENV} nor {TOKEN_ENV} is set: Rasa's HTTP API "
            "(--enable-api) never runs without auth (scripts/env.sh makes a secret in "
            "var/secrets.env)"
        )
    return [*argv, *added]


def prepare_rasa(environ: Mapping[str, str] | None = None) -> bool:
    """The failsafe, always; then the speed-ups unless switched off (whether installed).

    Raises ``FailsafeError`` on a Rasa the failsafe was not written for.
    """
    from bot.rasa_ext.failsafe import install_failsafe
    from bot.rasa_ext.tuning import tune_rasa

    install_failsafe()
    return tune_rasa(environ)


def install_bundle() -> None:
    """Build the Rasa server's bundle (``bot.bootstrap``) and install it (``bot.services``)."""
    from bot import services
    from bot.bootstrap import RASA_SERVER, bootstrap

    services.install(bootstrap(RASA_SERVER))


def main() -> None:
    """Rasa's own ``main`` after ``lean_process``, ``prepare_rasa`` (``tune_rasa`` logs why
    when it installs nothing) and ``install_bundle``."""
    from bot.rasa_ext.lean import lean_process

    lean_process()
    sys.argv[1:] = with_auth_token(sys.argv[1:])

    from rasa.__main__ import main as rasa_main

    prepare_rasa()
    install_bundle()
    sys.argv[0] = "rasa"
    rasa_main()


def stock_main() -> None:
    """Rasa as it comes, without the failsafe or the speed-ups (the benchmark's ``--stock``
    baseline), with the bundle its channels and NLG read installed first."""
    from rasa.__main__ import main as rasa_main

    install_bundle()
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
