"""What every handler needs: the console's services, and the request's agent and language."""

from __future__ import annotations

from dataclasses import dataclass, field

from sanic.request import Request

from bot.channels.sms.outbox import SmsOutbox
from bot.console.access.accounts import AgentAccounts
from bot.console.access.preferences import AgentPreferences
from bot.console.access.sessions import AgentSession, Flash, SessionStore
from bot.console.access.throttle import LoginThrottle
from bot.console.live.hub import LiveHub
from bot.console.notes.store import DeskNotes
from bot.console.replies.store import CannedReplies, LatestTicket
from bot.console.settings import ConsoleSettings
from bot.console.web.i18n import Translator
from bot.console.web.layout import PageContext
from bot.handoff.context import CaseContextSource
from bot.handoff.desk import HandoffDesk
from bot.handoff.presence import PresenceStore
from bot.handoff.stats import StatsStore
from bot.handoff.transfer import CaseTransfers
from bot.review.desk import ReviewDesk
from bot.storage.clock import utc_from_timestamp
from bot.tickets.desk import TicketDesk


@dataclass
class Console:
    """The services behind the web layer (``create_app`` keeps one in ``app.ctx``)."""

    desk: HandoffDesk
    accounts: AgentAccounts
    sessions: SessionStore
    review: ReviewDesk
    settings: ConsoleSettings = field(default_factory=ConsoleSettings)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    tickets: TicketDesk | None = None  # the Tickets pages (None: not offered)
    sms_outbox: SmsOutbox | None = None  # the Deliveries page (None: no gateway)
    live: LiveHub | None = None  # /api/live (None: the pages poll)
    replies: CannedReplies | None = None  # canned replies (None: not offered)
    notes: DeskNotes | None = None  # internal notes on cases and tickets
    figures: StatsStore | None = None  # per-agent figures for supervisors
    latest_ticket: LatestTicket | None = None  # a customer's latest ticket id ({ticket})
    case_context: CaseContextSource | None = None  # the case page's customer context
    time_zones: AgentPreferences | None = None  # the preferences page
    transfers: CaseTransfers | None = None  # cases to another agent or the queue
    presence: PresenceStore | None = None  # available or away (the nav's toggle)


def console_of(request: Request) -> Console:
    """The app's ``Console``."""
    console: Console = request.app.ctx.console
    return console


def translator(request: Request) -> Translator:
    """The request's language (set by the middleware; Chinese before it ran)."""
    t: Translator | None = getattr(request.ctx, "t", None)
    return t or Translator("zh")


def session_of(request: Request) -> AgentSession | None:
    """The signed-in agent's session, if any."""
    session: AgentSession | None = getattr(request.ctx, "session", None)
    return session


def page_context(request: Request, flash: Flash | None = None) -> PageContext:
    """The shell's view of the request."""
    session = session_of(request)
    if flash is None and session is not None:
        flash = _missed_sign_ins(request, session.token)
    return PageContext(
        t=translator(request),
        path=request.path,
        agent=session.agent if session else None,
        csrf_token=session.csrf_token if session else None,
        flash=flash,
        poll_seconds=console_of(request).settings.poll_seconds,
        role=session.role if session else None,  # supervisors' links
        presence=(  # the nav's toggle, where presence is kept
            session.presence if session and console_of(request).presence else None
        ),
    )


def _missed_sign_ins(request: Request, session_token: str) -> Flash | None:
    """Once after signing in: failed sign-ins under the agent's name meanwhile."""
    missed = console_of(request).throttle.to_tell(session_token)
    if missed is None:
        return None
    t = translator(request)
    at = t.time(utc_from_timestamp(missed.last_at))  # in the agent's zone, labelled
    return Flash(t("login.missed", count=missed.count, address=missed.last_address, at=at), "error")
