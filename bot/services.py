"""The process's bundle: built once by its root at start-up, read by what Rasa builds itself.

Rasa makes its channels, NLG and components, and rasa-sdk its actions, without
arguments: they cannot be handed their dependencies. Each process's start-up
(``bot.rasa_ext.server`` for the Rasa server, ``bot.rasa_ext.action_server`` for the
action server) builds one ``Bundle`` with ``bot.bootstrap.bootstrap`` and ``install``s
it here; those objects read it with ``settings()``, ``action_services()`` or
``channel_services()``. Reading before it is installed raises ``BundleNotInstalled``.
Tests install a bundle of fakes the same way.

This module is the only one below the roots that knows the bundle; it builds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.channels.http_clients import HttpClients
from bot.config import Settings

if TYPE_CHECKING:  # types only: this module imports no adapter
    from bot.billing.port import BillingService
    from bot.channels.sms.deliveries import Deliveries
    from bot.channels.sms.gateway_routes import GatewayRoutes
    from bot.channels.sms.outbound import SmsSender
    from bot.channels.sms.outbox import SmsOutbox
    from bot.channels.telegram.push import TelegramPush
    from bot.channels.webchat.logout import WebLogout
    from bot.channels.webchat.mailbox import PendingMessages
    from bot.handoff.customer_messages import HandoverMessages
    from bot.handoff.queue import HandoffQueue
    from bot.handoff.staffing import DeskStaffing
    from bot.handoff.stats import StatsStore
    from bot.notices.offer_responses import OfferResponses
    from bot.notices.preferences import NoticePreferences
    from bot.state.proposals import ProposalStore
    from bot.state.ticket_origins import TicketOrigins
    from bot.verification.service import PhoneVerifier

logger = logging.getLogger(__name__)


class BundleNotInstalled(RuntimeError):
    """Something read the process's bundle before its start-up installed one."""


@dataclass(frozen=True)
class Services:
    """The external systems the actions talk to (the action server's part of the bundle)."""

    billing: BillingService
    handoff: HandoffQueue
    verification: PhoneVerifier
    stats: StatsStore
    proposals: ProposalStore
    notice_preferences: NoticePreferences
    ticket_origins: TicketOrigins  # where each complaint was filed
    offer_responses: OfferResponses  # how customers answered plan offers
    # the desk: business hours and agents' presence, places in the queue (None: always open)
    desk: DeskStaffing | None = None


@dataclass(frozen=True)
class ChannelServices:
    """What the Rasa server's channels share (the Rasa server's part of the bundle).

    The state stores are opened on first use (``deliveries()`` and the others return
    the same store every time): a channel that is never used opens nothing, and a state
    database that is down when Rasa starts stops no channel from starting.
    """

    settings: Settings
    sms_sender: SmsSender
    sms_gateway: GatewayRoutes | None  # a real gateway's routes (None: the JSON webhook only)
    telegram_push: TelegramPush | None  # None: no bot token
    deliveries: Callable[[], Deliveries]  # the SMS and Telegram channels' idempotency store
    sms_outbox: Callable[[], SmsOutbox]  # outbound SMS through a real gateway
    mailbox: Callable[[], PendingMessages]  # the web-chat mailbox
    web_logout: Callable[[], WebLogout]  # ends what a web chat verified by code
    handover: Callable[[], HandoverMessages] | None = None  # paused conversations

    @property
    def identity_secret(self) -> str | None:
        """Vouches for verified senders, and issues web-chat conversation ids."""
        return self.settings.identity_secret


@dataclass(frozen=True)
class Bundle:
    """Everything one process built once at start-up."""

    settings: Settings
    http: HttpClients = field(default_factory=HttpClients)
    actions: Services | None = None  # the action server's
    channels: ChannelServices | None = None  # the Rasa server's
    closers: tuple[Callable[[], None], ...] = ()  # e.g. disposing the engines

    async def aclose(self) -> None:
        """Close the shared HTTP clients and release what ``closers`` name."""
        await self.http.aclose()
        for close in self.closers:
            close()


_installed: Bundle | None = None


def install(bundle: Bundle) -> None:
    """Make ``bundle`` the process's (its start-up does this once; tests, per test)."""
    global _installed
    _installed = bundle


def uninstall() -> Bundle | None:
    """Forget the installed bundle (tests); the one that was installed, if any."""
    global _installed
    bundle, _installed = _installed, None
    return bundle


def current() -> Bundle:
    """The installed bundle; ``BundleNotInstalled`` before the start-up installed one."""
    if _installed is None:
        raise BundleNotInstalled(
            "the process's services are not installed yet: its start-up builds them "
            "(bot.rasa_ext.server for Rasa, bot.rasa_ext.action_server for the actions; run "
            "the servers through those modules), and tests install a bundle of fakes with "
            "bot.services.install"
        )
    return _installed


def settings() -> Settings:
    """The settings the process started with (read once, at start-up)."""
    return current().settings


def action_services() -> Services:
    """The action server's services."""
    actions = current().actions
    if actions is None:
        raise BundleNotInstalled("this process's bundle has no action services")
    return actions


def channel_services() -> ChannelServices:
    """The Rasa server's channel services."""
    channels = current().channels
    if channels is None:
        raise BundleNotInstalled("this process's bundle has no channel services")
    return channels


async def close() -> None:
    """Close the installed bundle's clients at shutdown (nothing when none is installed;
    closing twice is harmless). The bundle stays installed."""
    if _installed is not None:
        await _installed.aclose()
