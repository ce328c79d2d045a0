"""Fixtures: one real stack for the whole e2e session, a fresh conversation per test."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import bindparam, create_engine, delete, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.calendar import months_ago
from bot.billing.models import CustomerRow, DataPackOrderRow
from bot.billing.seed import seed_database
from bot.state.tables import HandoffRow, RatingRow
from bot.storage.db import make_engine
from tests.fakes import FakeSmsGateway
from tests.fakes.telegram import TOKEN, FakeTelegram
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "billing" / "demo-customers.yml"
SECRET = "e2e-secret"
DEMO = [f"+861380000000{i}" for i in range(1, 6)]


def month_ago(count: int) -> str:
    """The month that ended ``count`` months before today's: the stacks seed the demo as
    of today, so its bills are always the last six completed months."""
    return months_ago(dt.date.today(), count)


STRANGER = "+8613999999999"
BRIDGE_SECRET = "e2e-bridge"
AGENT, AGENT_PASSWORD = "ann", "e2e-agent-password"
# The desk answers around the clock whoever is signed in, so that asking for a person
# queues the case the same way at any hour (hours and presence: unit and loopback tests,
# and tests/e2e/test_console_hours.py on a stack whose desk is closed).
ALWAYS_ANSWERING = {"DESK_HOURS": "00:00-24:00", "DESK_PRESENCE": "off"}


def sqlite_stack(workdir: Path, name: str) -> dict[str, str]:
    """The settings a test stack's own databases need: SQLite billing (seeded with the
    demo customers), state and tracker databases under ``workdir``, secrets named after
    the stack, and no rate limit to speak of (the limit has its own stack)."""
    billing_url = f"sqlite:///{workdir / 'billing.db'}"
    seed_database(make_engine(billing_url), SEED)
    return {
        "BILLING_DATABASE_URL": billing_url,
        "STATE_DATABASE_URL": f"sqlite:///{workdir / 'state.db'}",
        "IDENTITY_SECRET": f"{name}-identity",
        "TRACKER_DIALECT": "sqlite",
        "TRACKER_DB": str(workdir / "trackers.db"),
        "RASA_AUTH_TOKEN": f"{name}-token",
        "RATE_LIMIT_PER_MINUTE": "100000",
    }


@pytest.fixture(scope="session")
def sms_gateway() -> Iterator[FakeSmsGateway]:
    gateway = FakeSmsGateway(SECRET)
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeTelegram]:
    """The fake Bot API that the stack's Telegram bridge polls."""
    server = FakeTelegram()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    sms_gateway: FakeSmsGateway,
    fake_telegram: FakeTelegram,
) -> Iterator[Stack]:
    workdir = Path(tmp_path_factory.mktemp("stack"))
    databases = sqlite_stack(workdir, "e2e")
    add_agent(databases["STATE_DATABASE_URL"], AGENT, AGENT_PASSWORD)
    running = Stack(
        root=ROOT,
        workdir=workdir,
        model=Path(os.environ.get("TEST_MODEL", ROOT / "models" / "current.tar.gz")),
        env={
            **databases,
            "SMS_GATEWAY_SECRET": SECRET,
            "SMS_GATEWAY_OUTBOUND_URL": sms_gateway.url,
            "RASA_JWT_SECRET": "e2e-jwt-secret-of-the-api-0123456789",
            "ACTION_SERVER_TOKEN": "e2e-action-server-token",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": fake_telegram.base_url,
            "TELEGRAM_BRIDGE_SECRET": BRIDGE_SECRET,
            **ALWAYS_ANSWERING,
        },
    )
    try:
        running.start()
        yield running
    finally:
        running.stop()


def add_agent(database_url: str, username: str, password: str) -> None:
    """Create an agent console account the way an operator does: the CLI, password on stdin."""
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "agent", "add", username, "--password-stdin"],
        input=f"{password}\n",
        text=True,
        check=True,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "STATE_DATABASE_URL": database_url},
    )


@pytest.fixture(autouse=True)
def fresh_conversations(stack: Stack) -> None:
    """Each test starts as a customer's first conversation: their tracker is deleted,
    and so are their handoff cases (an open one keeps a new conversation paused)
    and ratings. Web-chat cases left by earlier tests go too: they all came from this
    machine's address, which may hold only a few open cases (``HANDOFF_OPEN_PER_CLIENT``).

    (A ``restart`` event through the API would leave a session started without
    the channel's metadata, which a real first message never does.)
    """
    senders = [*DEMO, STRANGER]
    engine = create_engine(f"sqlite:///{stack.env['TRACKER_DB']}", future=True)
    with engine.begin() as connection:
        connection.execute(
            text("DELETE FROM events WHERE sender_id IN :senders").bindparams(
                bindparam("senders", expanding=True)
            ),
            {"senders": senders},
        )
    engine.dispose()
    state = make_engine(stack.env["STATE_DATABASE_URL"])
    with state.begin() as connection:
        connection.execute(delete(HandoffRow).where(HandoffRow.conversation_id.in_(senders)))
        connection.execute(delete(HandoffRow).where(HandoffRow.conversation_id.like("web-%")))
        connection.execute(delete(RatingRow).where(RatingRow.conversation_id.in_(senders)))
    state.dispose()


def web_session(stack: Stack) -> str:
    """A new web-chat conversation id, issued by the server as a page gets one."""
    response = httpx.post(f"{stack.rasa_url}/webhooks/rest/session", timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["session_id"])


@pytest.fixture
async def sms(stack: Stack) -> AsyncIterator[SmsGatewayClient]:
    client = SmsGatewayClient(stack.rasa_url, SECRET)
    yield client
    await client.aclose()


@pytest.fixture
def billing_db(stack: Stack) -> Engine:
    """The billing stub's database."""
    return make_engine(stack.env["BILLING_DATABASE_URL"])


@pytest.fixture
def state_db(stack: Stack) -> Engine:
    """The project's own state: cases, ratings, agents, links, verifications."""
    return make_engine(stack.env["STATE_DATABASE_URL"])


@pytest.fixture
def untouched_billing(billing_db: Engine) -> Iterator[None]:
    """Later tests read the demo balances: put them back, and drop the pack orders."""
    with Session(billing_db) as session:
        balances = dict(session.execute(select(CustomerRow.msisdn, CustomerRow.balance)).all())
    yield
    with Session(billing_db) as session:
        session.execute(delete(DataPackOrderRow))
        for msisdn, balance in balances.items():
            change = update(CustomerRow).where(CustomerRow.msisdn == msisdn)
            session.execute(change.values(balance=balance))
        session.commit()
