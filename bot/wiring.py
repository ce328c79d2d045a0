"""Wires the real dependencies together; the one place that chooses adapters."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass

from bot.billing.port import BillingService
from bot.billing.sql import SqlBillingService
from bot.channels.sms.outbound import sms_sender
from bot.config import Settings, load_settings
from bot.handoff.queue import HandoffQueue, SqlHandoffQueue
from bot.handoff.stats import StatsStore
from bot.state.proposals import ProposalStore
from bot.state.schema import state_engine
from bot.storage.db import make_engine
from bot.verification.service import PhoneVerifier, Policy


@dataclass(frozen=True)
class Services:
    """The external systems the actions talk to."""

    billing: BillingService
    handoff: HandoffQueue
    verification: PhoneVerifier
    stats: StatsStore
    proposals: ProposalStore


def build_services(settings: Settings) -> Services:
    """Build the services from settings (the billing stub on SQLAlchemy)."""
    billing = make_engine(settings.database_url)
    state = state_engine(settings.state_database_url)
    sender = sms_sender(settings.sms_outbound_url, settings.sms_secret)
    # Codes are hashed with a server secret; without one, a per-process secret.
    pepper = settings.identity_secret or secrets.token_hex(16)
    return Services(
        billing=SqlBillingService(billing, timeout=settings.billing_timeout_seconds),
        handoff=SqlHandoffQueue(state),
        verification=PhoneVerifier(
            state,
            sender,
            pepper,
            Policy(
                codes_per_number=settings.codes_per_number_per_hour,
                codes_overall=settings.codes_per_hour,
            ),
        ),
        stats=StatsStore(state),
        proposals=ProposalStore(state),
    )


@functools.lru_cache(maxsize=1)
def default_services() -> Services:
    """The process-wide services, built on first use (never at import)."""
    return build_services(load_settings())
