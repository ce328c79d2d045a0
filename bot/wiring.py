"""The builders: the one place that chooses adapters and builds them from settings.

Only the roots call them: ``bot.bootstrap`` (one ``bootstrap()`` per process, which builds
each engine, client and service once and returns the bundle), and the side processes'
roots beside it: ``bot.console.wiring`` (the agent console and its CLI),
``bot.telegram_bridge.wiring`` (the Telegram bridge), ``bot.notices.wiring`` (the notice
scheduler). Code below the roots receives what they built and never imports this module
(``tests/unit/test_import_direction.py``).

- ``action_services``: the action server's part of the bundle,
- ``channel_services``: the Rasa server's channels' part,
- ``outbound_sms_sender`` and ``sms_gateway_routes``: the SMS gateway of ``SMS_GATEWAY``.

``billing_service`` is the only function that names the billing adapter: replace the
stub there and every process shows the replacement (the other roots call it through
this module). Nothing is built at import.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy.engine import Engine

from bot.billing.port import BillingService
from bot.billing.sql import SqlBillingService
from bot.channels.http_clients import HttpClients
from bot.channels.sms.deliveries import Deliveries
from bot.channels.sms.gateway_routes import GatewayRoutes
from bot.channels.sms.gateways import (
    GatewayTransport,
    KannelTransport,
    RecordingSmsSender,
    TwilioTransport,
)
from bot.channels.sms.outbound import SmsSender, sms_sender
from bot.channels.sms.outbox import SmsOutbox
from bot.channels.telegram.push import TelegramPush
from bot.channels.webchat.logout import WebLogout
from bot.channels.webchat.mailbox import PendingMessages
from bot.config import Settings
from bot.handoff.customer_messages import HandoverMessages
from bot.handoff.estimate import QueueStanding
from bot.handoff.presence import PresenceStore
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.staffing import DeskStaffing
from bot.handoff.stats import StatsStore
from bot.notices.offer_responses import OfferResponses
from bot.notices.preferences import NoticePreferences
from bot.notices.quiet import quiet_now
from bot.notices.settings import load_notice_settings
from bot.services import ChannelServices, Services
from bot.state.proposals import ProposalStore
from bot.state.ticket_origins import TicketOrigins
from bot.storage.db import make_engine
from bot.verification.service import PhoneVerifier, Policy

# The bundle's types live in the accessor (``bot.services``); named here for the tests.
__all__ = ["ChannelServices", "Services", "TelegramPush"]
T = TypeVar("T")


class Once(Generic[T]):
    """``make()``'s result, made on the first call and returned by every call after."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._made: list[T] = []

    def __call__(self) -> T:
        with self._lock:
            if not self._made:
                self._made.append(self._make())
            return self._made[0]

    @property
    def made(self) -> bool:
        """Whether it was made."""
        return bool(self._made)


def billing_service(settings: Settings) -> BillingService:
    """The billing system every process talks to (the stub on SQLAlchemy, for now)."""
    return SqlBillingService(
        make_engine(settings.database_url), timeout=settings.billing_timeout_seconds
    )


# --- the action server ------------------------------------------------------------


def action_services(
    settings: Settings, state: Engine, sms: SmsSender, billing: BillingService
) -> Services:
    """The action server's services on the state database ``state``, sending codes with
    ``sms``."""
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
        billing=billing,
        handoff=SqlHandoffQueue(state, open_per_client=settings.handoff_open_per_client),
        verification=PhoneVerifier(state, sms, pepper, policy),
        stats=StatsStore(state),
        proposals=ProposalStore(state),
        notice_preferences=NoticePreferences(state),
        ticket_origins=TicketOrigins(state),
        offer_responses=OfferResponses(state),
        desk=desk_staffing(settings, state),  # business hours, presence, places in the queue
    )


def desk_staffing(settings: Settings, state: Engine) -> DeskStaffing:
    """Whether a person can answer now, and where a waiting case stands."""
    return DeskStaffing(
        settings.desk_hours,
        PresenceStore(state),
        QueueStanding(state),
        presence_counts=settings.desk_presence,
    )


# --- the Rasa server's channels ---------------------------------------------------


def channel_services(
    settings: Settings,
    state: Callable[[], Engine],
    sms: SmsSender,
    outbox: Callable[[], SmsOutbox],
    http: HttpClients,
) -> ChannelServices:
    """The channels' services; ``state`` opens the state database on first use (the
    stores on it open with it, once)."""
    token = settings.telegram_bot_token
    return ChannelServices(
        settings=settings,
        sms_sender=sms,
        sms_gateway=sms_gateway_routes(settings, sms),
        telegram_push=TelegramPush(token, settings.telegram_api_base_url, http) if token else None,
        deliveries=Once(lambda: Deliveries(state())),  # autocommit on the shared engine
        sms_outbox=outbox,
        mailbox=Once(lambda: PendingMessages(state())),
        web_logout=Once(lambda: WebLogout(state())),
        handover=Once(lambda: HandoverMessages(state())),  # customers' messages
    )


def sms_outbox(settings: Settings, state: Callable[[], Engine]) -> Once[SmsOutbox]:
    """Outbound SMS through a real gateway and their delivery reports, opened on first use."""
    return Once(lambda: SmsOutbox(state(), settings.sms_gateway.retry_limit))


# --- SMS gateways (Kannel, Twilio-style; SMS_GATEWAY) ----------------------------


def outbound_sms_sender(
    settings: Settings, outbox: Callable[[], SmsOutbox], http: HttpClients
) -> SmsSender:
    """How the bot sends SMS nobody asked for: the signed JSON gateway (``webhook``), or
    Kannel's sendsms / a Twilio-style REST endpoint, every message recorded in ``outbox``
    (``http``: the process's shared clients)."""
    gateway = settings.sms_gateway
    if gateway.mode == "kannel":
        transport: GatewayTransport = KannelTransport(
            gateway.kannel_sendsms_url,
            gateway.kannel_user,
            gateway.kannel_password,
            sender_id=gateway.sender_id,
            public_url=gateway.public_url,
            secret=gateway.kannel_secret or "",
            max_parts=gateway.kannel_max_parts,
            http=http,
        )
    elif gateway.mode == "twilio":
        transport = TwilioTransport(
            gateway.twilio_api_url,
            gateway.twilio_account_sid,
            gateway.twilio_auth_token,
            sender_id=gateway.sender_id,
            public_url=gateway.public_url,
            http=http,
        )
    else:
        return sms_sender(settings.sms_outbound_url, settings.sms_secret, http)
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
        mode=gateway.mode,
        sender=sender,
        public_url=gateway.public_url,
        kannel_secret=gateway.kannel_secret or "",
        kannel_allow_ips=gateway.kannel_allow_ips,
        twilio_auth_token=gateway.twilio_auth_token,
        service_number=gateway.sender_id,
    )
