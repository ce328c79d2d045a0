"""Run the console in the foreground (``telecom-assistant console``)."""

from __future__ import annotations

import logging
import sys

from bot.config import load_settings
from bot.console.settings import load_console_settings
from bot.console.ticker import run_periodically
from bot.console.web.app import create_app
from bot.console.wiring import console_services
from bot.logmask import configure_logging


def run() -> int:
    """Serve until interrupted."""
    configure_logging()
    settings = load_console_settings()
    try:
        services = console_services(load_settings(), settings)
    except ValueError as exc:  # a missing setting, e.g. RASA_JWT_SECRET
        print(f"console: {exc}", file=sys.stderr)
        return 2
    app = create_app(services.console)
    if settings.tick_seconds > 0:  # wait notices, call-backs, answers to waiting customers
        run_periodically(app, settings.tick_seconds, services.tick)
    logging.getLogger(__name__).info("agent console on http://%s:%d", settings.host, settings.port)
    app.run(host=settings.host, port=settings.port, access_log=False, motd=False, workers=1)
    return 0
