"""Webhook deliveries on a real SQLite file: one claim per message id, answers kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.sms.deliveries import DONE, Deliveries
from bot.state.schema import migrate
from bot.state.tables import DeliveryRow
from bot.storage.db import make_engine

ANSWER = {"replies": [{"to": "+8613800000001", "text": "您的余额为 42.50 元", "segments": 1}]}


@pytest.fixture(params=[True, False], ids=["autocommit-engine", "plain-engine"])
def deliveries(tmp_path: Path, request: pytest.FixtureRequest) -> Deliveries:
    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}", autocommit=request.param)
    migrate(engine)
    return Deliveries(engine)


def stored(tmp_path: Path) -> list[tuple[str, str]]:
    """What another process sees in the table (committed rows only)."""
    with Session(make_engine(f"sqlite:///{tmp_path / 'd.db'}")) as session:
        rows = session.execute(select(DeliveryRow.message_id, DeliveryRow.status)).all()
    return [(row.message_id, row.status) for row in rows]


async def test_first_claim_goes_ahead_and_a_retry_gets_the_answer(
    deliveries: Deliveries, tmp_path: Path
) -> None:
    assert await deliveries.claim("sms", "+8613800000001", "m1") is None
    await deliveries.finish("sms", "+8613800000001", "m1", ANSWER)
    assert stored(tmp_path) == [("m1", DONE)]
    assert await deliveries.claim("sms", "+8613800000001", "m1") == ANSWER


async def test_ids_are_per_channel_and_sender(deliveries: Deliveries) -> None:
    assert await deliveries.claim("sms", "+8613800000001", "m1") is None
    assert await deliveries.claim("sms", "+8613800000002", "m1") is None
    assert await deliveries.claim("telegram", "+8613800000001", "m1") is None


async def test_an_abandoned_delivery_is_handled_afresh(
    deliveries: Deliveries, tmp_path: Path
) -> None:
    assert await deliveries.claim("sms", "+8613800000001", "m2") is None
    await deliveries.abandon("sms", "+8613800000001", "m2")
    assert stored(tmp_path) == []
    assert await deliveries.claim("sms", "+8613800000001", "m2") is None


async def test_old_deliveries_are_forgotten(deliveries: Deliveries, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    with Session(engine) as session:
        written = session.execute(select(DeliveryRow.created_at)).all()
    assert written == []
    assert await deliveries.claim("sms", "+8613800000001", "old") is None
    with Session(engine) as session:  # the stored time reads back as a datetime
        (created,) = session.execute(select(DeliveryRow.created_at)).one()
        row = session.get(DeliveryRow, ("sms", "+8613800000001", "old"))
        assert row is not None
        row.created_at = created - dt.timedelta(days=8)
        session.commit()
    deliveries._claims = 999  # the next claim is the thousandth: old ones are forgotten
    assert await deliveries.claim("sms", "+8613800000001", "new") is None
    assert [message for message, _ in stored(tmp_path)] == ["new"]
