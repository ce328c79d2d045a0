"""The agent console's composition root: its desk, accounts, sessions, review, tickets
and SMS outbox, built from settings (``telecom-assistant console`` and its CLI)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot import wiring
from bot.channels.sms.outbox import SmsOutbox
from bot.config import Settings
from bot.console.access.accounts import AgentAccounts
from bot.console.access.sessions import SessionStore
from bot.console.settings import ConsoleSettings
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.rasa_api import RasaAdminClient
from bot.handoff.stats import StatsStore
from bot.notices.offer_responses import OfferResponses  # offers
from bot.notices.store import NoticeStore
from bot.review.desk import ReviewDesk, domain_intents
from bot.review.source import SqlTrackerReviewSource
from bot.review.store import ReviewStore
from bot.state.schema import state_engine
from bot.state.ticket_origins import TicketOrigins
from bot.storage.db import read_only_engine
from bot.tickets.desk import TicketDesk
from bot.tickets.notify import RasaTicketNotifier

DOMAIN_PATH = Path("domain.yml")


def console_sms_outbox(settings: Settings) -> SmsOutbox | None:
    """The console's view of failed SMS (None when no real gateway is configured)."""
    if settings.sms_gateway.mode == "webhook":
        return None
    return SmsOutbox(state_engine(settings.state_database_url), settings.sms_gateway.retry_limit)


@dataclass(frozen=True)
class ConsoleServices:
    """What the agent console works with."""

    desk: RasaHandoffDesk
    accounts: AgentAccounts
    sessions: SessionStore
    review: ReviewDesk
    tickets: TicketDesk  # ticket work


def console_accounts(settings: Settings) -> AgentAccounts:
    """The agents' accounts (``telecom-assistant agent``)."""
    return AgentAccounts(state_engine(settings.state_database_url))


def console_services(
    settings: Settings,
    console: ConsoleSettings | None = None,
    domain_path: Path = DOMAIN_PATH,
) -> ConsoleServices:
    """The console's desk (queue, Rasa's HTTP API, billing, figures), accounts and sessions.

    Raises ``ValueError`` without ``RASA_JWT_SECRET``.
    """
    if not settings.rasa_jwt_secret:
        raise ValueError("RASA_JWT_SECRET is not set: the console needs Rasa's HTTP API")
    console = console or ConsoleSettings()
    state = state_engine(settings.state_database_url)
    desk = RasaHandoffDesk(
        queue=SqlHandoffQueue(state),
        rasa=RasaAdminClient(settings.rasa_url, settings.rasa_jwt_secret, username="console"),
        billing=wiring.billing_service(settings),
        stats=StatsStore(state),
        domain_path=domain_path,
        wait_notice_after=dt.timedelta(seconds=settings.handoff_wait_notice_seconds),
        notices_sent=NoticeStore(state).sent_by_kind,  # notices
        offer_counts=OfferResponses(state).counts,  # offers
    )
    sessions = SessionStore(state, idle=console.session_idle, max_age=console.session_max_age)
    review = ReviewDesk(
        SqlTrackerReviewSource(read_only_engine(settings.tracker_database_url)),
        ReviewStore(state),
        domain_intents(domain_path),
    )
    # ticket work: complaint tickets, their customers told through Rasa's HTTP API
    tickets = TicketDesk(
        billing=wiring.billing_service(settings),
        origins=TicketOrigins(state),
        notifier=RasaTicketNotifier(
            RasaAdminClient(settings.rasa_url, settings.rasa_jwt_secret, username="console")
        ),
        domain_path=domain_path,
    )
    return ConsoleServices(
        desk=desk, accounts=AgentAccounts(state), sessions=sessions, review=review,
        tickets=tickets,
    )  # fmt: skip


def review_store(settings: Settings) -> ReviewStore:
    """The labelled messages of conversation review (``telecom-assistant review export``)."""
    return ReviewStore(state_engine(settings.state_database_url))
