"""The console's settings from the environment, with local defaults."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

DEFAULT_PORT = 5080
DEFAULT_HOST = "127.0.0.1"


@dataclass(frozen=True)
class ConsoleSettings:
    """Where the console listens and how it keeps agents signed in."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    secure_cookies: bool = False  # Secure cookies: set behind HTTPS
    session_idle: dt.timedelta = dt.timedelta(hours=8)
    session_max_age: dt.timedelta = dt.timedelta(hours=24)
    poll_seconds: int = 3
    tick_seconds: int = 30  # the desk's wait notices and call-backs; 0: off
    metrics_token: str = ""  # /metrics with Authorization: Bearer <it>; empty: no /metrics


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def load_console_settings() -> ConsoleSettings:
    """Read ``CONSOLE_HOST``, ``CONSOLE_PORT``, ``CONSOLE_SECURE_COOKIES`` and friends."""
    return ConsoleSettings(
        host=os.environ.get("CONSOLE_HOST", DEFAULT_HOST),
        port=int(os.environ.get("CONSOLE_PORT", str(DEFAULT_PORT))),
        secure_cookies=_flag("CONSOLE_SECURE_COOKIES"),
        session_idle=dt.timedelta(
            minutes=int(os.environ.get("CONSOLE_SESSION_IDLE_MINUTES", "480"))
        ),
        tick_seconds=int(os.environ.get("CONSOLE_TICK_SECONDS", "30")),
        metrics_token=os.environ.get("METRICS_TOKEN", "").strip(),
    )
