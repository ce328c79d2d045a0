"""The services the actions get, wired with fakes (verification on in-memory SQLite)."""

from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool

from bot.handoff.stats import StatsStore
from bot.notices.offer_responses import OfferResponses
from bot.notices.preferences import NoticePreferences
from bot.services import Services
from bot.state.proposals import ProposalStore
from bot.state.schema import migrate
from bot.state.ticket_origins import TicketOrigins
from bot.verification.service import PhoneVerifier
from tests.fakes.billing import FakeBillingService
from tests.fakes.handoff import FakeHandoffQueue
from tests.fakes.sms import FakeSmsSender


def memory_engine() -> Engine:
    """An in-memory SQLite database shared by every thread of the test."""
    engine = create_engine(
        "sqlite://",
        future=True,
        poolclass=StaticPool,
        connect_args={"check_same_thread": False},
    )
    migrate(engine)
    return engine


def fake_services(sms: FakeSmsSender | None = None) -> Services:
    """Fakes wired like the real services (verification on an in-memory database)."""
    engine = memory_engine()
    verifier = PhoneVerifier(engine, sms or FakeSmsSender(), pepper="test-pepper")
    return Services(
        billing=FakeBillingService(),
        handoff=FakeHandoffQueue(),
        verification=verifier,
        stats=StatsStore(engine),
        proposals=ProposalStore(engine),
        notice_preferences=NoticePreferences(engine),
        ticket_origins=TicketOrigins(engine),
        offer_responses=OfferResponses(engine),
    )
