"""Fixtures: one real stack for the whole e2e session, a fresh conversation per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.engine import Engine

from bot.billing.seed import seed_database
from bot.db import make_engine
from bot.devstack import Stack
from bot.sms_client import SmsGatewayClient

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "billing" / "demo-customers.yml"
SECRET = "e2e-secret"
DEMO = [f"+861380000000{i}" for i in range(1, 6)]
STRANGER = "+8613999999999"


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = Path(tmp_path_factory.mktemp("stack"))
    billing_url = f"sqlite:///{workdir / 'billing.db'}"
    seed_database(make_engine(billing_url), SEED)
    running = Stack(
        root=ROOT,
        workdir=workdir,
        model=ROOT / "models" / "current.tar.gz",
        env={
            "BILLING_DATABASE_URL": billing_url,
            "SMS_GATEWAY_SECRET": SECRET,
            "IDENTITY_SECRET": "e2e-identity",
            "TRACKER_DIALECT": "sqlite",
            "TRACKER_DB": str(workdir / "trackers.db"),
            "RASA_AUTH_TOKEN": "e2e-token",
        },
    )
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(autouse=True)
def fresh_conversations(stack: Stack) -> None:
    """Each test starts as a customer's first conversation: their tracker is deleted.

    (A ``restart`` event through the API would leave a session started without
    the channel's metadata, which a real first message never does.)
    """
    engine = create_engine(f"sqlite:///{stack.env['TRACKER_DB']}", future=True)
    with engine.begin() as connection:
        connection.execute(
            text("DELETE FROM events WHERE sender_id IN :senders").bindparams(
                bindparam("senders", expanding=True)
            ),
            {"senders": [*DEMO, STRANGER]},
        )
    engine.dispose()


@pytest.fixture
async def sms(stack: Stack) -> AsyncIterator[SmsGatewayClient]:
    client = SmsGatewayClient(stack.rasa_url, SECRET)
    yield client
    await client.aclose()


@pytest.fixture
def billing_db(stack: Stack) -> Engine:
    return make_engine(stack.env["BILLING_DATABASE_URL"])
