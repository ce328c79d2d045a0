"""Settings from the environment, with local defaults for the embedded set-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL

from bot.handoff.hours import DeskHours, load_desk_hours

DEFAULT_DATABASE_URL = "sqlite:///var/billing.db"
DEFAULT_STATE_DATABASE_URL = "sqlite:///var/state.db"
TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_SEED_PATH = "data/billing/demo-customers.yml"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
DEFAULT_TRACKER_DATABASE_URL = "sqlite:///var/trackers.db"


# --- SMS gateways (Kannel, Twilio-style): docs/sms-gateways.md -----------------------
SMS_GATEWAYS = ("webhook", "kannel", "twilio")


@dataclass(frozen=True)
class SmsGatewaySettings:
    """Which gateway carries SMS (``SMS_GATEWAY``) and how to reach it."""

    mode: str = "webhook"  # webhook (the signed JSON contract) | kannel | twilio
    public_url: str = ""  # how the gateway reaches Rasa, e.g. http://127.0.0.1:5005 (DLR URLs)
    sender_id: str = "10086"  # the service number messages are sent from
    kannel_secret: str | None = None  # in Kannel's post-url path, or its basic-auth password
    kannel_allow_ips: tuple[str, ...] = ("127.0.0.1", "::1")
    kannel_sendsms_url: str = "http://127.0.0.1:13013/cgi-bin/sendsms"
    kannel_user: str = ""
    kannel_password: str = ""
    kannel_max_parts: int = 10  # Kannel's max-messages: parts of one concatenated SMS
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""  # signs webhooks (X-Twilio-Signature) and authenticates sends
    twilio_api_url: str = "https://api.twilio.com/2010-04-01"
    retry_limit: int = 3  # sends of one message before it is left to an agent


def load_sms_gateway_settings() -> SmsGatewaySettings:
    """``SMS_GATEWAY`` (webhook, kannel or twilio) and the ``SMS_KANNEL_*`` / ``SMS_TWILIO_*``."""
    env = os.environ.get
    mode = (env("SMS_GATEWAY") or "webhook").strip().lower()
    if mode not in SMS_GATEWAYS:
        raise ValueError(f"SMS_GATEWAY must be one of {', '.join(SMS_GATEWAYS)}, not {mode!r}")
    ips = env("SMS_KANNEL_ALLOW_IPS") or "127.0.0.1,::1"
    return SmsGatewaySettings(
        mode=mode,
        public_url=(env("SMS_GATEWAY_PUBLIC_URL") or "").rstrip("/"),
        sender_id=env("SMS_SENDER_ID") or "10086",
        kannel_secret=env("SMS_KANNEL_SECRET") or None,
        kannel_allow_ips=tuple(ip.strip() for ip in ips.split(",") if ip.strip()),
        kannel_sendsms_url=env("SMS_KANNEL_SENDSMS_URL") or SmsGatewaySettings.kannel_sendsms_url,
        kannel_user=env("SMS_KANNEL_USER") or "",
        kannel_password=env("SMS_KANNEL_PASSWORD") or "",
        kannel_max_parts=int(env("SMS_KANNEL_MAX_PARTS") or "10"),
        twilio_account_sid=env("SMS_TWILIO_ACCOUNT_SID") or "",
        twilio_auth_token=env("SMS_TWILIO_AUTH_TOKEN") or "",
        twilio_api_url=(env("SMS_TWILIO_API_URL") or SmsGatewaySettings.twilio_api_url).rstrip("/"),
        retry_limit=int(env("SMS_RETRY_LIMIT") or "3"),
    )


# --- end of SMS gateways ------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Runtime settings of every process (``bot/wiring.py`` builds the adapters from them)."""

    database_url: str  # the billing stub (it stands for the operator's billing system)
    state_database_url: str  # the project's own tables (cases, console, deliveries, ...)
    seed_path: Path
    sms_secret: str | None
    sms_allow_unsigned: bool
    sms_max_text: int
    identity_secret: str | None
    sms_outbound_url: str | None
    rasa_url: str
    rasa_jwt_secret: str | None  # signs the console's and scheduler's calls to Rasa's API
    handoff_wait_notice_seconds: int
    rate_limit_per_minute: int
    billing_timeout_seconds: float
    codes_per_number_per_hour: int  # one-time codes for one number, all conversations
    codes_per_hour: int  # one-time codes for all numbers together
    telegram_bot_token: str | None  # the Bot API token (the bridge, and pushes from Rasa)
    telegram_api_base_url: str
    telegram_bridge_secret: str | None  # signs the bridge's requests to Rasa's channel
    # Rasa's tracker store (endpoints.yml's TRACKER_* settings), read by conversation review.
    tracker_database_url: str = DEFAULT_TRACKER_DATABASE_URL
    verified_idle_minutes: int = 30  # a number verified by code lapses unused this long
    # SMS gateways (Kannel, Twilio-style): SMS_GATEWAY and its settings, see below.
    sms_gateway: SmsGatewaySettings = field(default_factory=lambda: SmsGatewaySettings())
    # Limits per web-chat client address (the channel signs it) and per conversation.
    handoff_open_per_client: int = 3  # open handoff cases of one address
    codes_per_client_per_hour: int = 5  # one-time codes requested from one address
    codes_per_conversation_per_hour: int = 5  # one-time codes requested in one conversation
    traditional_variant: str = "s2tw"  # OpenCC's Traditional output (bot/rasa_ext/nlg.py)
    # The desk's business hours (DESK_HOURS, DESK_DAYS, DESK_TIME_ZONE; Beijing time).
    desk_hours: DeskHours = field(default_factory=DeskHours)
    desk_presence: bool = True  # DESK_PRESENCE=off: within hours counts as staffed, present or not


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def load_settings() -> Settings:
    """Read the settings from the environment."""
    return Settings(
        database_url=os.environ.get("BILLING_DATABASE_URL", DEFAULT_DATABASE_URL),
        state_database_url=os.environ.get("STATE_DATABASE_URL", DEFAULT_STATE_DATABASE_URL),
        seed_path=Path(os.environ.get("BILLING_SEED_PATH", DEFAULT_SEED_PATH)),
        sms_secret=os.environ.get("SMS_GATEWAY_SECRET") or None,
        sms_allow_unsigned=_flag("SMS_GATEWAY_ALLOW_UNSIGNED"),
        sms_max_text=int(os.environ.get("SMS_MAX_TEXT", "1000")),
        identity_secret=os.environ.get("IDENTITY_SECRET") or None,
        sms_outbound_url=os.environ.get("SMS_GATEWAY_OUTBOUND_URL") or None,
        rasa_url=os.environ.get("RASA_URL") or DEFAULT_RASA_URL,
        rasa_jwt_secret=os.environ.get("RASA_JWT_SECRET") or None,
        handoff_wait_notice_seconds=int(os.environ.get("HANDOFF_WAIT_NOTICE_SECONDS", "180")),
        rate_limit_per_minute=int(os.environ.get("RATE_LIMIT_PER_MINUTE", "20")),
        billing_timeout_seconds=float(os.environ.get("BILLING_TIMEOUT_SECONDS", "3")),
        codes_per_number_per_hour=int(os.environ.get("CODES_PER_NUMBER_PER_HOUR", "3")),
        codes_per_hour=int(os.environ.get("CODES_PER_HOUR", "100")),
        telegram_bot_token=os.environ.get("TELEGRAM_BOT_TOKEN", "").strip() or None,
        telegram_api_base_url=os.environ.get("TELEGRAM_API_BASE_URL") or TELEGRAM_API_BASE_URL,
        telegram_bridge_secret=os.environ.get("TELEGRAM_BRIDGE_SECRET") or None,
        tracker_database_url=tracker_database_url(),
        verified_idle_minutes=int(os.environ.get("VERIFIED_IDLE_MINUTES", "30")),
        sms_gateway=load_sms_gateway_settings(),
        handoff_open_per_client=int(os.environ.get("HANDOFF_OPEN_PER_CLIENT", "3")),
        codes_per_client_per_hour=int(os.environ.get("CODES_PER_CLIENT_PER_HOUR", "5")),
        codes_per_conversation_per_hour=int(os.environ.get("CODES_PER_CONVERSATION_PER_HOUR", "5")),
        traditional_variant=os.environ.get("TRADITIONAL_VARIANT") or "s2tw",
        desk_hours=load_desk_hours(os.environ),
        desk_presence=(os.environ.get("DESK_PRESENCE") or "on").strip().lower() != "off",
    )


def tracker_database_url() -> str:
    """The tracker store's database from ``TRACKER_DIALECT``, ``TRACKER_HOST`` (host or
    host:port), ``TRACKER_DB``, ``TRACKER_USER`` and ``TRACKER_PASSWORD``, as endpoints.yml
    gives them to Rasa."""
    dialect = os.environ.get("TRACKER_DIALECT") or "sqlite"
    database = os.environ.get("TRACKER_DB") or ""
    if dialect == "sqlite":
        return f"sqlite:///{database}" if database else DEFAULT_TRACKER_DATABASE_URL
    host, _, port = (os.environ.get("TRACKER_HOST") or "localhost").partition(":")
    url = URL.create(
        dialect,
        username=os.environ.get("TRACKER_USER") or None,
        password=os.environ.get("TRACKER_PASSWORD") or None,
        host=host,
        port=int(port) if port else None,
        database=database or None,
    )
    return url.render_as_string(hide_password=False)
