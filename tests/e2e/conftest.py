"""Fixtures: one real stack for the whole e2e session, a fresh conversation per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
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
    for sender in [*DEMO, STRANGER]:
        stack.restart_conversation(sender)


@pytest.fixture
async def sms(stack: Stack) -> AsyncIterator[SmsGatewayClient]:
    client = SmsGatewayClient(stack.rasa_url, SECRET)
    yield client
    await client.aclose()


@pytest.fixture
def billing_db(stack: Stack) -> Engine:
    return make_engine(stack.env["BILLING_DATABASE_URL"])
