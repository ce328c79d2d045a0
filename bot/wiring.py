"""The composition roots: the one place that chooses adapters and builds them from settings.

One root per process, each handing its adapters to code that only receives them:

- ``action_services`` (the action server; ``default_services`` for the actions Rasa's
  SDK makes without arguments),
- ``channel_services`` (the Rasa server's channels; ``default_channel_services`` for
  the channels Rasa makes from credentials.yml),
- the side processes' roots beside them: ``bot.console.wiring`` (the agent console and
  its CLI), ``bot.telegram_bridge.wiring`` (the Telegram bridge), ``bot.notices.wiring`` (the
  notice scheduler).

``billing_service`` is the only function that names the billing adapter: replace the
stub there and every process shows the replacement (the other roots call it through
this module). Nothing is built at import.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Callable  # sms gateways
from dataclasses import dataclass

from bot.billing.port import BillingService
from bot.billing.sql import SqlBillingService
from bot.channels.sms.deliveries import Deliveries
from bot.channels.sms.gateway_routes import GatewayRoutes  # sms gateways
from bot.channels.sms.gateways import (  # sms gateways
    GatewayTransport,
    KannelTransport,
    RecordingSmsSender,
    TwilioTransport,
)
from bot.channels.sms.outbound import SmsSender, sms_sender
from bot.channels.sms.outbox import SmsOutbox  # sms gateways
from bot.channels.webchat.logout import WebLogout
from bot.channels.webchat.mailbox import PendingMessages
from bot.config import Settings, load_settings
from bot.handoff.queue import HandoffQueue
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.stats import StatsStore
from bot.notices.offer_responses import OfferResponses  # offers
from bot.notices.preferences import NoticePreferences
from bot.notices.quiet import quiet_now
from bot.notices.settings import load_notice_settings
from bot.state.proposals import ProposalStore
from bot.state.schema import state_engine
from bot.state.ticket_origins import TicketOrigins  # ticket work
from bot.storage.db import make_engine
from bot.verification.service import PhoneVerifier, Policy


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
    notice_preferences: NoticePreferences  # notice settings
    ticket_origins: TicketOrigins  # ticket work: where each complaint was filed
    offer_responses: OfferResponses  # offers: how customers answered plan offers


def action_services(settings: Settings) -> Services:
    """The action server's services."""
    state = state_engine(settings.state_database_url)
    outbox = SmsOutbox(state, settings.sms_gateway.retry_limit)  # sms gateways
    sender = outbound_sms_sender(settings, lambda: outbox)  # sms gateways
    # Codes are hashed with a server secret; without one, a per-process secret.
    pepper = settings.identity_secret or secrets.token_hex(16)
    policy = Policy(
        idle=dt.timedelta(minutes=settings.verified_idle_minutes),
        codes_per_number=settings.codes_per_number_per_hour,
        codes_overall=settings.codes_per_hour,
        codes_per_client=settings.codes_per_client_per_hour,
        codes_per_conversation=settings.codes_per_conversation_per_hour,
    )
    return Services(
        billing=billing_service(settings),
        handoff=SqlHandoffQueue(state, open_per_client=settings.handoff_open_per_client),
        verification=PhoneVerifier(state, sender, pepper, policy),
        stats=StatsStore(state),
        proposals=ProposalStore(state),
        notice_preferences=NoticePreferences(state),  # notice settings
        ticket_origins=TicketOrigins(state),  # ticket work
        offer_responses=OfferResponses(state),  # offers
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
        self.sms_sender: SmsSender = outbound_sms_sender(settings, self.sms_outbox)  # gateways
        self.sms_gateway = sms_gateway_routes(settings, self.sms_sender)  # sms gateways
        self._sms_outbox: SmsOutbox | None = None
        token = settings.telegram_bot_token
        self.telegram_push = TelegramPush(token, settings.telegram_api_base_url) if token else None
        self._deliveries: Deliveries | None = None
        self._mailbox: PendingMessages | None = None
        self._web_logout: WebLogout | None = None

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

    def sms_outbox(self) -> SmsOutbox:
        """Outbound SMS through a real gateway and their delivery reports (sms gateways)."""
        if self._sms_outbox is None:
            engine = state_engine(self.settings.state_database_url)
            self._sms_outbox = SmsOutbox(engine, self.settings.sms_gateway.retry_limit)
        return self._sms_outbox

    def mailbox(self) -> PendingMessages:
        """The web-chat mailbox."""
        if self._mailbox is None:
            self._mailbox = PendingMessages(state_engine(self.settings.state_database_url))
        return self._mailbox

    def web_logout(self) -> WebLogout:
        """Ends what a web chat verified by code (its customer logged out)."""
        if self._web_logout is None:
            self._web_logout = WebLogout(state_engine(self.settings.state_database_url))
        return self._web_logout


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


# --- SMS gateways (Kannel, Twilio-style; SMS_GATEWAY) ----------------------------


def outbound_sms_sender(settings: Settings, outbox: Callable[[], SmsOutbox]) -> SmsSender:
    """How the bot sends SMS nobody asked for: the signed JSON gateway (``webhook``), or
    Kannel's sendsms / a Twilio-style REST endpoint, every message recorded in ``outbox``."""
    gateway = settings.sms_gateway
    if gateway.mode == "kannel":
        transport: GatewayTransport = KannelTransport(
            gateway.kannel_sendsms_url, gateway.kannel_user, gateway.kannel_password,
            sender_id=gateway.sender_id, public_url=gateway.public_url,
            secret=gateway.kannel_secret or "", max_parts=gateway.kannel_max_parts,
        )  # fmt: skip
    elif gateway.mode == "twilio":
        transport = TwilioTransport(
            gateway.twilio_api_url, gateway.twilio_account_sid, gateway.twilio_auth_token,
            sender_id=gateway.sender_id, public_url=gateway.public_url,
        )  # fmt: skip
    else:
        return sms_sender(settings.sms_outbound_url, settings.sms_secret)
    notices = load_notice_settings()  # no SMS sent again at night either
    start, end, zone = notices.quiet_start, notices.quiet_end, notices.zone
    return RecordingSmsSender(transport, outbox, quiet=lambda: quiet_now(start, end, zone))


def sms_gateway_routes(settings: Settings, sender: SmsSender) -> GatewayRoutes | None:
    """The SMS channel's routes for a real gateway (None: the JSON webhook only)."""
    gateway = settings.sms_gateway
    if not isinstance(sender, RecordingSmsSender):
        return None
    if gateway.mode == "kannel" and not gateway.kannel_secret:
        raise ValueError("SMS_GATEWAY=kannel needs SMS_KANNEL_SECRET (Kannel's post-url path)")
    if gateway.mode == "twilio" and not gateway.twilio_auth_token:
        raise ValueError("SMS_GATEWAY=twilio needs SMS_TWILIO_AUTH_TOKEN")
    return GatewayRoutes(
        mode=gateway.mode, sender=sender, public_url=gateway.public_url,
        kannel_secret=gateway.kannel_secret or "", kannel_allow_ips=gateway.kannel_allow_ips,
        twilio_auth_token=gateway.twilio_auth_token, service_number=gateway.sender_id,
    )  # fmt: skip
