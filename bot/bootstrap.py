"""One bootstrap per process: build each engine, client and service once, hand them down.

In the shape of cosmicpython's ``bootstrap.py``: ``bootstrap()`` takes the dependencies a
caller may replace (settings, billing, the state database, the HTTP clients, the SMS
sender), builds the rest from settings with ``bot.wiring``'s builders, and returns the
bundle (``bot.services.Bundle``). Per process:

- the action server (``ACTION_SERVER``): the settings, the shared HTTP clients, one
  state engine (migrated once, at start-up) and the actions' services on it;
- the Rasa server (``RASA_SERVER``): the settings, the shared HTTP clients and the
  channels' services; its one state engine is made, and migrated, on first use.

The process's start-up installs the bundle in ``bot.services`` (what Rasa builds itself
reads it there) and closes it when the server stops. Only roots import this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal

from sqlalchemy.engine import Engine

from bot import wiring
from bot.billing.port import BillingService
from bot.channels.http_clients import HttpClients
from bot.channels.sms.outbound import SmsSender
from bot.config import Settings, load_settings
from bot.services import Bundle
from bot.state.schema import state_engine

Process = Literal["action-server", "rasa-server"]
ACTION_SERVER: Final = "action-server"
RASA_SERVER: Final = "rasa-server"


def bootstrap(
    process: Process,
    settings: Settings | None = None,
    *,
    billing: BillingService | None = None,
    state: Engine | None = None,
    http: HttpClients | None = None,
    sms_sender: SmsSender | None = None,
) -> Bundle:
    """The bundle of ``process``, built once; every argument left out is built from
    ``settings`` (default: the environment's).

    ``state``: an engine on a migrated state database (default: ``state_engine`` on
    ``settings.state_database_url``, made once).
    """
    settings = settings or load_settings()
    http = http or HttpClients()
    database = wiring.Once(
        (lambda: state) if state is not None else _state_engine(settings.state_database_url)
    )
    outbox = wiring.sms_outbox(settings, database)
    sms = sms_sender or wiring.outbound_sms_sender(settings, outbox, http)
    closers = () if state is not None else (lambda: _dispose(database),)  # ours only
    if process == ACTION_SERVER:
        billing = billing or wiring.billing_service(settings)
        actions = wiring.action_services(settings, database(), sms, billing)
        return Bundle(settings, http, actions=actions, closers=closers)
    if process == RASA_SERVER:
        channels = wiring.channel_services(settings, database, sms, outbox, http)
        return Bundle(settings, http, channels=channels, closers=closers)
    raise ValueError(f"no bootstrap for {process!r}: {ACTION_SERVER} or {RASA_SERVER}")


def _state_engine(url: str) -> Callable[[], Engine]:
    return lambda: state_engine(url)


def _dispose(database: wiring.Once[Engine]) -> None:
    if database.made:
        database().dispose()
