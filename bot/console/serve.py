"""Run the console in the foreground (``telecom-assistant console``)."""

from __future__ import annotations

import logging
import sys

from bot.config import load_settings
from bot.console.accounts import AgentAccounts
from bot.console.app import create_app
from bot.console.context import Console
from bot.console.sessions import SessionStore
from bot.console.settings import ConsoleSettings, load_console_settings
from bot.console.ticker import run_periodically
from bot.handoff.desk import HandoffDesk
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.handoff.desk_rasa import build_desk as build_rasa_desk
from bot.logmask import MaskingFilter
from bot.state.schema import state_engine


def build_desk() -> RasaHandoffDesk:
    """The real desk (queue, Rasa's API, billing), from the environment."""
    return build_rasa_desk(load_settings())


def build_console(settings: ConsoleSettings, desk: HandoffDesk) -> Console:
    """Accounts and sessions in the state database (migrated when behind)."""
    engine = state_engine(settings.database_url)
    sessions = SessionStore(engine, idle=settings.session_idle, max_age=settings.session_max_age)
    return Console(desk=desk, accounts=AgentAccounts(engine), sessions=sessions, settings=settings)


def _configure_logging() -> None:
    """INFO to stderr with phone numbers masked; httpx's request lines (Rasa's token is in
    their URLs) only on warnings."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level="INFO")
    for handler in logging.getLogger().handlers:
        handler.addFilter(MaskingFilter())
    logging.getLogger("httpx").setLevel(logging.WARNING)


def run() -> int:
    """Serve until interrupted."""
    _configure_logging()
    settings = load_console_settings()
    try:
        desk = build_desk()
    except ValueError as exc:  # a missing setting, e.g. RASA_AUTH_TOKEN
        print(f"console: {exc}", file=sys.stderr)
        return 2
    app = create_app(build_console(settings, desk))
    if settings.tick_seconds > 0:  # tell long-waiting customers the expected wait
        run_periodically(app, settings.tick_seconds, desk.tick)
    logging.getLogger(__name__).info("agent console on http://%s:%d", settings.host, settings.port)
    app.run(host=settings.host, port=settings.port, access_log=False, motd=False, workers=1)
    return 0
