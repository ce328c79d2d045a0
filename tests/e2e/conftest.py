"""Fixtures: one real stack for the whole e2e session, a fresh conversation per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.db import make_engine
from bot.sms_client import SmsGatewayClient
from tests.e2e.stack import Stack

DEMO = [f"+861380000000{i}" for i in range(1, 6)]
STRANGER = "+8613999999999"


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(Path(tmp_path_factory.mktemp("stack")))
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
    client = SmsGatewayClient(stack.rasa_url, stack.secret)
    yield client
    await client.aclose()


@pytest.fixture
def billing_db(stack: Stack) -> Engine:
    return make_engine(stack.billing_url)
