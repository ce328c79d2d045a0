"""Every table of the project's own state, on ``StateBase`` (migrated by Alembic).

One module, so that the migrations see the whole schema and the stores above (handoff,
console, channels, Telegram links, verification, proposals) depend on it, not on
each other. A change here needs a new revision in ``bot/state/migrations``;
``tests/integration/test_state_migrations.py`` fails until the two match.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)

from bot.state.base import StateBase


# bot.console.access.sessions
class AgentSessionRow(StateBase):
    __tablename__ = "console_sessions"
    token_hash = Column(String(64), primary_key=True)
    agent = Column(
        String(32), ForeignKey("agents.username", ondelete="CASCADE"), nullable=False, index=True
    )
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)
    last_seen = Column(DateTime, nullable=False)
    flash = Column(Text, nullable=True)
    flash_kind = Column(String(8), nullable=True)


# bot.console.access.accounts
class AgentRow(StateBase):
    __tablename__ = "agents"
    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(32), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    created_at = Column(DateTime, nullable=False)
    # Agent or supervisor; available or away; the zone their times are shown in.
    role = Column(String(16), nullable=False, server_default=text("'agent'"))
    presence = Column(String(16), nullable=False, server_default=text("'available'"))
    presence_at = Column(DateTime, nullable=True)
    time_zone = Column(String(64), nullable=False, server_default=text("'Asia/Shanghai'"))
    password_changed_at = Column(DateTime, nullable=True)


# bot.state.tables
class HandoffRow(StateBase):
    __tablename__ = "handoffs"
    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    msisdn = Column(String(20), nullable=True, index=True)
    channel = Column(String(32), nullable=False)
    language = Column(String(2), nullable=False)
    reason = Column(String(32), nullable=False)
    detail = Column(Text, nullable=True)
    status = Column(String(16), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False)
    claimed_by = Column(String(64), nullable=True)
    claimed_at = Column(DateTime, nullable=True)
    resolved_at = Column(DateTime, nullable=True)
    resolution_note = Column(Text, nullable=True)
    wait_notice_at = Column(DateTime, nullable=True)
    callback_requested = Column(Boolean, nullable=False, default=False)
    # The web-chat client's address (signed by the channel): open cases per address are limited.
    client_address = Column(String(64), nullable=True, index=True)


# bot.handoff.stats
class SessionRow(StateBase):
    __tablename__ = "conversation_sessions"
    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    started_at = Column(DateTime, nullable=False)


# bot.handoff.stats
class RatingRow(StateBase):
    __tablename__ = "satisfaction_ratings"
    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    rating = Column(String(16), nullable=False)
    # The case whose end was rated: one rating per case (None for 0.1's ratings).
    handoff_id = Column(Integer, nullable=True, unique=True, index=True)
    created_at = Column(DateTime, nullable=False)


# bot.channels.sms.deliveries
class DeliveryRow(StateBase):
    __tablename__ = "webhook_deliveries"
    channel = Column(String(16), primary_key=True)
    sender = Column(String(64), primary_key=True)
    message_id = Column(String(128), primary_key=True)
    status = Column(String(16), nullable=False)
    response = Column(Text, nullable=True)
    created_at = Column(DateTime, nullable=False, index=True)


# bot.channels.webchat.mailbox
class PendingMessageRow(StateBase):
    __tablename__ = "pending_messages"
    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    message = Column(Text, nullable=False)  # JSON: {"text", "buttons"}
    created_at = Column(DateTime, nullable=False)


# bot.telegram_bridge.links
class TelegramLinkRow(StateBase):
    __tablename__ = "telegram_links"
    telegram_user_id = Column(BigInteger, primary_key=True, autoincrement=False)
    msisdn = Column(String(20), nullable=False, unique=True, index=True)
    linked_at = Column(DateTime, nullable=False)


# bot.state.tables
class PhoneVerificationRow(StateBase):
    __tablename__ = "phone_verifications"
    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    # The channel of the conversation that verified (a verified number counts there only).
    channel = Column(String(16), nullable=False, server_default=text("'rest'"))
    msisdn = Column(String(20), nullable=False, index=True)
    code_hash = Column(String(64), nullable=False)
    status = Column(String(16), nullable=False)  # pending|verified|failed|replaced|revoked
    attempts = Column(Integer, nullable=False, default=0)  # every guess at this code
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    verified_at = Column(DateTime, nullable=True)
    locked_until = Column(DateTime, nullable=True)


# bot.state.tables
class CodeRequestCounterRow(StateBase):
    """Codes requested per scope (a number, or everything) and window, counted atomically."""

    __tablename__ = "code_request_counters"
    scope = Column(String(32), primary_key=True)
    window_start = Column(DateTime, primary_key=True)
    count = Column(Integer, nullable=False)


# bot.state.proposals
class ProposalRow(StateBase):
    __tablename__ = "proposals"
    id = Column(String(32), primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    msisdn = Column(String(20), nullable=False)
    kind = Column(String(16), nullable=False)
    subject = Column(String(32), nullable=False)  # a plan code or a service code
    quote = Column(Text, nullable=True)  # bot.domain.quotes.Quote as JSON; None before 0008
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    used_at = Column(DateTime, nullable=True)


# bot.review.store
class ReviewItemRow(StateBase):
    """A customer message the bot handled badly, kept (masked) for an agent to label."""

    __tablename__ = "review_items"
    __table_args__ = (UniqueConstraint("conversation_id", "event_timestamp"),)
    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(128), nullable=False)
    event_timestamp = Column(Float, nullable=False)  # the user event's, in the tracker store
    text = Column(Text, nullable=False)  # numbers masked
    intent = Column(String(64), nullable=True)  # what the NLU predicted
    confidence = Column(Float, nullable=True)
    channel = Column(String(32), nullable=False)
    reason = Column(String(16), nullable=False)  # fallback|handoff|low_confidence
    created_at = Column(DateTime, nullable=False, index=True)  # when the customer wrote it
    status = Column(String(16), nullable=False, index=True)  # open|labelled|dismissed
    label = Column(String(64), nullable=True)
    agent = Column(String(32), nullable=True)
    labelled_at = Column(DateTime, nullable=True)
    exported_at = Column(DateTime, nullable=True)


# bot.review.store
class ReviewCursorRow(StateBase):
    """How far a review source has been read (the newest event timestamp seen)."""

    __tablename__ = "review_cursors"
    source = Column(String(32), primary_key=True)
    last_timestamp = Column(Float, nullable=False)


# bot.notices.preferences: kinds a customer turned off or on again
class NoticePreferenceRow(StateBase):
    __tablename__ = "notice_preferences"
    msisdn = Column(String(20), primary_key=True)
    kind = Column(String(16), primary_key=True)  # a bot.domain.notice_kinds.NoticeKind value
    enabled = Column(Boolean, nullable=False)
    updated_at = Column(DateTime, nullable=False)


# bot.notices.store (proactive notices): one row per notice key, claimed before it is sent.
class NoticeRow(StateBase):
    """A notice to one customer: its key (number, event, cycle) is sent at most once."""

    __tablename__ = "notices"
    msisdn = Column(String(20), primary_key=True)
    event = Column(String(16), primary_key=True)  # low_balance|arrears|data_warn|data_full|bill
    cycle = Column(String(7), primary_key=True)  # YYYY-MM (the bill notice: the bill's month)
    kind = Column(String(8), nullable=False, index=True)  # bot.domain.notice_kinds.NoticeKind
    payload = Column(Text, nullable=False)  # JSON: the figures the notice says
    status = Column(String(8), nullable=False, index=True)  # claimed|sent
    claimed_by = Column(String(64), nullable=False)
    claimed_at = Column(DateTime, nullable=False)
    retry_at = Column(DateTime, nullable=False)  # when another scheduler may take it over
    attempts = Column(Integer, nullable=False, default=1)
    conversation_id = Column(String(128), nullable=False)  # where it goes (bot.notices.routes)
    channel = Column(String(16), nullable=False)
    sent_at = Column(DateTime, nullable=True)


# bot.channels.sms.outbox (SMS gateways: Kannel, Twilio-style)
class SmsOutboundRow(StateBase):
    """One SMS the assistant sent through a gateway (a reply, or a message nobody asked for)."""

    __tablename__ = "sms_outbound"
    id = Column(String(32), primary_key=True)  # ours: in the dlr-url / status callback
    gateway = Column(String(16), nullable=False)  # kannel | twilio
    msisdn = Column(String(20), nullable=False, index=True)
    text = Column(Text, nullable=False)
    kind = Column(String(16), nullable=False)  # reply | push
    parts = Column(Integer, nullable=False)
    status = Column(String(16), nullable=False, index=True)
    attempts = Column(Integer, nullable=False)
    foreign_id = Column(String(64), nullable=True, index=True)  # the gateway's id (Twilio SID)
    last_error = Column(Text, nullable=True)
    created_at = Column(DateTime, nullable=False, index=True)
    updated_at = Column(DateTime, nullable=False)
    retry_at = Column(DateTime, nullable=True, index=True)  # when to send again (None: not)


# bot.channels.sms.outbox
class SmsDeliveryReportRow(StateBase):
    """A delivery report as the gateway gave it, against the message it is about."""

    __tablename__ = "sms_delivery_reports"
    id = Column(Integer, primary_key=True, autoincrement=True)
    message_id = Column(
        String(32), ForeignKey("sms_outbound.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status = Column(String(16), nullable=False)  # delivered | failed | expired | accepted | ...
    detail = Column(Text, nullable=True)  # the gateway's own words (Kannel %A, Twilio ErrorCode)
    received_at = Column(DateTime, nullable=False)


# bot.state.ticket_origins: where a complaint was filed, to tell the customer there
class TicketOriginRow(StateBase):
    """The conversation, channel and language a complaint ticket was filed from."""

    __tablename__ = "ticket_origins"
    ticket_id = Column(String(16), primary_key=True)  # the billing system's ticket id
    conversation_id = Column(String(128), nullable=False)
    channel = Column(String(16), nullable=False)
    language = Column(String(2), nullable=False)
    created_at = Column(DateTime, nullable=False)


# bot.notices.offer_responses: how customers answered plan offers, for the dashboard
class OfferResponseRow(StateBase):
    """A customer's answer to one plan offer (the notice ``msisdn/plan_offer/cycle``)."""

    __tablename__ = "offer_responses"
    msisdn = Column(String(20), primary_key=True)
    cycle = Column(String(7), primary_key=True)  # the offer's quarter: 2026-Q4
    plan_code = Column(String(16), nullable=False)  # the plan offered
    saving_cents = Column(Integer, nullable=False)  # the saving a month quoted, in fen
    response = Column(String(8), nullable=False, index=True)  # accepted | declined
    conversation_id = Column(String(128), nullable=False)
    responded_at = Column(DateTime, nullable=False)
