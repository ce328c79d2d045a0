"""The composition roots: the one place that chooses adapters and builds them from settings.

One root per process, each handing its adapters to code that only receives them:

- ``action_services`` (the action server; ``default_services`` for the actions Rasa's
  SDK makes without arguments),
- ``channel_services`` (the Rasa server's channels; ``default_channel_services`` for
  the channels Rasa makes from credentials.yml),
- ``console_services``, ``console_accounts`` and ``review_store`` (the agent console
  and its CLI),
- ``telegram_services`` (the Telegram bridge).

``billing_service`` is the only function that names the billing adapter: replace the
stub there and every process shows the replacement. Nothing is built at import.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.billing.port import BillingService
from bot.billing.sql import SqlBillingService
from bot.channels.sms.deliveries import Deliveries
from bot.channels.sms.outbound import SmsSender, sms_sender
from bot.channels.webchat.mailbox import PendingMessages
from bot.config import Settings, load_settings
from bot.console.accounts import AgentAccounts
from bot.console.sessions import SessionStore
from bot.console.settings import ConsoleSettings
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.handoff.queue import HandoffQueue
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.rasa_api import RasaAdminClient
from bot.handoff.stats import StatsStore
from bot.review.desk import ReviewDesk, domain_intents
from bot.review.source import SqlTrackerReviewSource
from bot.review.store import ReviewStore
from bot.state.proposals import ProposalStore
from bot.state.schema import state_engine
from bot.storage.db import make_engine, read_only_engine
from bot.verification.service import PhoneVerifier, Policy

if TYPE_CHECKING:  # python-telegram-bot is imported by the bridge process only
    from bot.telegram.deps import BridgeDeps
    from bot.telegram.settings import TelegramSettings

DOMAIN_PATH = Path("domain.yml")


def billing_service(settings: Settings) -> BillingService:
    """The billing system every process talks to (the stub on SQLAlchemy, for now)."""
    return SqlBillingService(
        make_engine(settings.database_url), timeout=settings.billing_timeout_seconds
    )


# --- the action server ------------------------------------------------------------


@dataclass(frozen=True)
class Services:
    """The external systems the actions talk to."""

    billing: BillingService
    handoff: HandoffQueue
    verification: PhoneVerifier
    stats: StatsStore
    proposals: ProposalStore


def action_services(settings: Settings) -> Services:
    """The action server's services."""
    state = state_engine(settings.state_database_url)
    sender = sms_sender(settings.sms_outbound_url, settings.sms_secret)
    # Codes are hashed with a server secret; without one, a per-process secret.
    pepper = settings.identity_secret or secrets.token_hex(16)
    policy = Policy(
        codes_per_number=settings.codes_per_number_per_hour,
        codes_overall=settings.codes_per_hour,
    )
    return Services(
        billing=billing_service(settings),
        handoff=SqlHandoffQueue(state),
        verification=PhoneVerifier(state, sender, pepper, policy),
        stats=StatsStore(state),
        proposals=ProposalStore(state),
    )


@functools.lru_cache(maxsize=1)
def default_services() -> Services:
    """The action server's services from the environment, built on first use."""
    return action_services(load_settings())


# --- the Rasa server's channels ---------------------------------------------------


@dataclass(frozen=True)
class TelegramPush:
    """Where the Telegram channel sends messages nobody asked for (the Bot API)."""

    token: str
    api_base_url: str


class ChannelServices:
    """What the Rasa server's channels share; the state stores open on first use.

    (A channel that is never used opens nothing, and a state database that is down
    when Rasa starts stops no channel from starting.)
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sms_sender: SmsSender = sms_sender(settings.sms_outbound_url, settings.sms_secret)
        token = settings.telegram_bot_token
        self.telegram_push = TelegramPush(token, settings.telegram_api_base_url) if token else None
        self._deliveries: Deliveries | None = None
        self._mailbox: PendingMessages | None = None

    @property
    def identity_secret(self) -> str | None:
        """Vouches for verified senders, and issues web-chat conversation ids."""
        return self.settings.identity_secret

    def deliveries(self) -> Deliveries:
        """The SMS channel's idempotency store."""
        if self._deliveries is None:
            engine = state_engine(self.settings.state_database_url, autocommit=True)
            self._deliveries = Deliveries(engine)
        return self._deliveries

    def mailbox(self) -> PendingMessages:
        """The web-chat mailbox."""
        if self._mailbox is None:
            self._mailbox = PendingMessages(state_engine(self.settings.state_database_url))
        return self._mailbox


def channel_services(settings: Settings) -> ChannelServices:
    """The channels' services."""
    return ChannelServices(settings)


@functools.lru_cache(maxsize=8)
def _channel_services_for(settings: Settings) -> ChannelServices:
    return channel_services(settings)


def default_channel_services() -> ChannelServices:
    """The channels' services for the environment's settings: one per process (the
    channels Rasa makes from credentials.yml share them)."""
    return _channel_services_for(load_settings())


# --- the agent console ------------------------------------------------------------


@dataclass(frozen=True)
class ConsoleServices:
    """What the agent console works with."""

    desk: RasaHandoffDesk
    accounts: AgentAccounts
    sessions: SessionStore
    review: ReviewDesk


def console_accounts(settings: Settings) -> AgentAccounts:
    """The agents' accounts (``telecom-assistant agent``)."""
    return AgentAccounts(state_engine(settings.state_database_url))


def console_services(
    settings: Settings,
    console: ConsoleSettings | None = None,
    domain_path: Path = DOMAIN_PATH,
) -> ConsoleServices:
    """The console's desk (queue, Rasa's HTTP API, billing, figures), accounts and sessions.

    Raises ``ValueError`` without ``RASA_AUTH_TOKEN``.
    """
    if not settings.rasa_token:
        raise ValueError("RASA_AUTH_TOKEN is not set: the console needs Rasa's HTTP API")
    console = console or ConsoleSettings()
    state = state_engine(settings.state_database_url)
    desk = RasaHandoffDesk(
        queue=SqlHandoffQueue(state),
        rasa=RasaAdminClient(settings.rasa_url, settings.rasa_token),
        billing=billing_service(settings),
        stats=StatsStore(state),
        domain_path=domain_path,
        wait_notice_after=dt.timedelta(seconds=settings.handoff_wait_notice_seconds),
    )
    sessions = SessionStore(state, idle=console.session_idle, max_age=console.session_max_age)
    review = ReviewDesk(
        SqlTrackerReviewSource(read_only_engine(settings.tracker_database_url)),
        ReviewStore(state),
        domain_intents(domain_path),
    )
    return ConsoleServices(
        desk=desk, accounts=AgentAccounts(state), sessions=sessions, review=review
    )


def review_store(settings: Settings) -> ReviewStore:
    """The labelled messages of conversation review (``telecom-assistant review export``)."""
    return ReviewStore(state_engine(settings.state_database_url))


# --- the Telegram bridge ----------------------------------------------------------


def telegram_services(settings: TelegramSettings) -> BridgeDeps:
    """The bridge's links (in the state database), Rasa client and texts."""
    from bot.telegram.deps import BridgeDeps
    from bot.telegram.links import TelegramLinkStore
    from bot.telegram.rasa_client import RasaBridgeClient
    from bot.telegram.texts import BridgeTexts

    return BridgeDeps(
        links=TelegramLinkStore(state_engine(settings.database_url)),
        rasa=RasaBridgeClient(settings.rasa_url, settings.bridge_secret),
        texts=BridgeTexts.load(settings.domain_path),
    )
