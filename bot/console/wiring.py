"""The agent console's composition root: everything the console process works with, each
built once from settings (``telecom-assistant console``), and the CLI's own small parts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot import wiring
from bot.billing.port import BillingService
from bot.channels.sms.outbox import SmsOutbox
from bot.config import Settings
from bot.console.access.accounts import AgentAccounts
from bot.console.access.preferences import AgentPreferences
from bot.console.access.sessions import SessionStore
from bot.console.live.hub import LiveHub
from bot.console.notes.store import DeskNotes
from bot.console.replies.latest import latest_ticket_of
from bot.console.replies.store import CannedReplies
from bot.console.settings import ConsoleSettings
from bot.console.web.context import Console
from bot.domain.files import load_domain
from bot.handoff.context import CaseContextReader
from bot.handoff.desk_events import DeskEventLog
from bot.handoff.desk_rasa import RasaHandoffDesk
from bot.handoff.estimate import QueueStanding
from bot.handoff.presence import PresenceStore
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.handoff.rasa_api import RasaAdminClient
from bot.handoff.stats import StatsStore
from bot.handoff.transfer import CaseTransfers
from bot.handoff.wait_answers import WaitAnswers
from bot.notices.offer_responses import OfferResponses
from bot.notices.settings import load_notice_settings
from bot.notices.store import NoticeStore
from bot.review.desk import ReviewDesk, domain_intents
from bot.review.source import SqlTrackerReviewSource
from bot.review.store import ReviewStore
from bot.state.schema import state_engine
from bot.state.ticket_origins import TicketOrigins
from bot.storage.db import read_only_engine
from bot.tickets.desk import TicketDesk
from bot.tickets.notify import RasaTicketNotifier

DOMAIN_PATH = Path("domain")


@dataclass(frozen=True)
class ConsoleServices:
    """What the console process works with, each built once: the web layer's ``Console``,
    the desk (for its periodic work) and the answers to waiting customers."""

    console: Console
    desk: RasaHandoffDesk
    wait_answers: WaitAnswers

    @property
    def accounts(self) -> AgentAccounts:
        return self.console.accounts

    async def tick(self) -> None:
        """The desk's periodic work: wait notices, call-backs, "how long will it take?"."""
        await self.desk.tick()
        await self.wait_answers.tick()


def console_accounts(settings: Settings) -> AgentAccounts:
    """The agents' accounts (``telecom-assistant agent``, a process of its own)."""
    return AgentAccounts(state_engine(settings.state_database_url))


def console_services(
    settings: Settings,
    console: ConsoleSettings | None = None,
    domain_path: Path = DOMAIN_PATH,
    *,
    billing: BillingService | None = None,
) -> ConsoleServices:
    """The console's services on one state engine, one billing service and one client of
    Rasa's HTTP API. Raises ``ValueError`` without ``RASA_JWT_SECRET``."""
    if not settings.rasa_jwt_secret:
        raise ValueError("RASA_JWT_SECRET is not set: the console needs Rasa's HTTP API")
    console = console or ConsoleSettings()
    state = state_engine(settings.state_database_url)
    billing = billing or wiring.billing_service(settings)
    rasa = RasaAdminClient(settings.rasa_url, settings.rasa_jwt_secret, username="console")
    change_log = DeskEventLog(state)
    stats = StatsStore(state)
    replies = CannedReplies(state)
    replies.seed()  # a few replies in each language on first start (idempotent)
    desk = RasaHandoffDesk(
        queue=SqlHandoffQueue(state),
        rasa=rasa,
        billing=billing,
        stats=stats,
        domain_path=domain_path,
        wait_notice_after=dt.timedelta(seconds=settings.handoff_wait_notice_seconds),
        notices_sent=NoticeStore(state).sent_by_kind,
        offer_counts=OfferResponses(state).counts,
        change_log=change_log,
    )
    tickets = TicketDesk(  # complaint tickets, their customers told through Rasa's HTTP API
        billing=billing,
        origins=TicketOrigins(state),
        notifier=RasaTicketNotifier(rasa),
        domain_path=domain_path,
        events=change_log,
    )
    web = Console(
        desk=desk,
        accounts=AgentAccounts(state),
        sessions=SessionStore(state, idle=console.session_idle, max_age=console.session_max_age),
        review=ReviewDesk(
            SqlTrackerReviewSource(read_only_engine(settings.tracker_database_url)),
            ReviewStore(state),
            domain_intents(domain_path),
        ),
        settings=console,
        tickets=tickets,
        sms_outbox=(
            None
            if settings.sms_gateway.mode == "webhook"  # no real gateway: no Deliveries page
            else SmsOutbox(state, settings.sms_gateway.retry_limit)
        ),
        live=LiveHub(change_log),
        replies=replies,
        notes=DeskNotes(state),
        figures=stats,
        latest_ticket=latest_ticket_of(billing),
        case_context=CaseContextReader(state, billing, load_notice_settings().zone),
        time_zones=AgentPreferences(state),
        transfers=CaseTransfers(state),
        presence=PresenceStore(state),
    )
    wait_answers = WaitAnswers(
        SqlHandoffQueue(state),
        QueueStanding(state),
        rasa,
        load_domain(domain_path),
        staffing=wiring.desk_staffing(settings, state),
    )
    return ConsoleServices(console=web, desk=desk, wait_answers=wait_answers)


def review_store(settings: Settings) -> ReviewStore:
    """The labelled messages of conversation review (``telecom-assistant review export``)."""
    return ReviewStore(state_engine(settings.state_database_url))
