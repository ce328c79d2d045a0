"""Retries, floods and failures, on a stack of its own (it is stopped and broken on purpose)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.billing.models import PlanChangeOrderRow
from bot.storage.db import make_engine
from tests.e2e.conftest import ALWAYS_ANSWERING, DEMO, ROOT, STRANGER, sqlite_stack
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e
SECRET = "resilience-secret"
LIMIT = 5
C1, C4 = DEMO[0], DEMO[3]


@pytest.fixture(scope="module")
def fragile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = Path(tmp_path_factory.mktemp("fragile"))
    running = Stack(
        root=ROOT,
        workdir=workdir,
        model=ROOT / "models" / "current.tar.gz",
        env={
            **sqlite_stack(workdir, "fragile"),
            "SMS_GATEWAY_SECRET": SECRET,
            "RATE_LIMIT_PER_MINUTE": str(LIMIT),
            **ALWAYS_ANSWERING,
        },
    )
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture
async def sms(fragile: Stack) -> AsyncIterator[SmsGatewayClient]:
    client = SmsGatewayClient(fragile.rasa_url, SECRET)
    yield client
    await client.aclose()


def orders(fragile: Stack, msisdn: str) -> int:
    with Session(make_engine(fragile.env["BILLING_DATABASE_URL"])) as session:
        query = select(func.count()).where(PlanChangeOrderRow.msisdn == msisdn)
        return int(session.scalar(query) or 0)


async def test_a_retried_delivery_is_answered_alike_and_acted_on_once(
    fragile: Stack, sms: SmsGatewayClient
) -> None:
    await sms.send(C4, "recommend me a plan", message_id="r-1")
    await sms.send(C4, "1", message_id="r-2")
    first = await sms.send(C4, "1", message_id="r-3")
    assert "Order PC" in first.texts[0] and orders(fragile, C4) == 1
    again = await sms.send(C4, "1", message_id="r-3")
    assert again.body == first.body and orders(fragile, C4) == 1
    # Across a restart of the Rasa server too; the conversation's state is kept.
    fragile.kill("rasa")
    fragile.revive("rasa", f"{fragile.rasa_url}/webhooks/sms/")
    after = await sms.send(C4, "1", message_id="r-3")
    assert after.body == first.body and orders(fragile, C4) == 1
    thanks = await sms.send(C4, "thanks!", message_id="r-4")
    assert "welcome" in thanks.texts[0]


async def test_a_flooding_sender_is_told_to_wait_and_others_are_served(
    sms: SmsGatewayClient,
) -> None:
    replies = [await sms.send(STRANGER, f"hello {i}") for i in range(LIMIT + 1)]
    assert all(r.status == 200 for r in replies)
    assert "太快" in replies[-1].texts[0] or "very fast" in replies[-1].texts[0]
    assert all("very fast" not in t for r in replies[:LIMIT] for t in r.texts)
    started = time.monotonic()
    other = await sms.send(C1, "查余额")
    assert "23.50" in other.texts[0] and time.monotonic() - started < 2


async def test_action_server_down_gets_an_apology_within_five_seconds(
    fragile: Stack, sms: SmsGatewayClient
) -> None:
    fragile.kill("actions")
    try:
        started = time.monotonic()
        reply = await sms.send(DEMO[4], "查余额")
        assert time.monotonic() - started < 5
        assert reply.status == 200 and "系统暂时繁忙" in reply.texts[-1]
    finally:
        fragile.revive("actions", f"http://127.0.0.1:{fragile.actions_port}/health")
    assert "2.10" in (await sms.send(DEMO[4], "查余额")).texts[0]


async def test_billing_database_down_gets_an_apology(fragile: Stack, sms: SmsGatewayClient) -> None:
    database = Path(fragile.env["BILLING_DATABASE_URL"].removeprefix("sqlite:///"))
    # The file and its write-ahead log go away together (pooled connections keep the log).
    files = [database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))]
    moved = {path: path.with_name(path.name + ".away") for path in files if path.exists()}
    for path, away in moved.items():
        path.rename(away)
    try:
        reply = await sms.send(DEMO[1], "查余额")
        assert reply.status == 200 and "系统暂时繁忙" in reply.texts[-1]
    finally:
        for path, away in moved.items():
            path.unlink(missing_ok=True)  # the empty file SQLite made meanwhile
            away.rename(path)
    assert "156.00" in (await sms.send(DEMO[1], "查余额")).texts[0]
