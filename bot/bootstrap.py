"""Wires the real dependencies together; the one place that chooses adapters."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.billing.port import BillingService
from bot.billing.sql import SqlBillingService
from bot.config import Settings, load_settings
from bot.db import create_schema, make_engine
from bot.handoff.queue import HandoffQueue, SqlHandoffQueue


@dataclass(frozen=True)
class Services:
    """The external systems the actions talk to."""

    billing: BillingService
    handoff: HandoffQueue


def build_services(settings: Settings) -> Services:
    """Build the services from settings (the billing stub on SQLAlchemy)."""
    engine = make_engine(settings.database_url)
    create_schema(engine)
    return Services(billing=SqlBillingService(engine), handoff=SqlHandoffQueue(engine))


@functools.lru_cache(maxsize=1)
def default_services() -> Services:
    """The process-wide services, built on first use (never at import)."""
    return build_services(load_settings())
