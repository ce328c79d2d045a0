"""The SMS deliveries store's contract (``bot.channels.sms.deliveries.Deliveries``): one claim
per message id, the answer kept for the gateway's retries, a failed delivery released."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from bot.channels.sms import deliveries as module
from bot.channels.sms.deliveries import DeliveryInProgress
from tests.contracts.conftest import DeliveriesUnderTest

C1, C2 = "+8613800000001", "+8613800000002"
ANSWER = {"replies": [{"to": C1, "text": "您的余额为 23.50 元", "segments": 1}]}


async def test_the_first_delivery_goes_ahead_and_a_retry_gets_its_answer(
    deliveries: DeliveriesUnderTest,
) -> None:
    store = deliveries.store
    assert await store.claim("sms", C1, "m1") is None
    await store.finish("sms", C1, "m1", ANSWER)
    assert await store.claim("sms", C1, "m1") == ANSWER
    assert await store.claim("sms", C1, "m1") == ANSWER  # as often as the gateway retries


async def test_ids_are_per_channel_and_sender(deliveries: DeliveriesUnderTest) -> None:
    store = deliveries.store
    await store.finish("sms", C1, "m1", ANSWER)
    assert await store.claim("sms", C2, "m1") is None
    assert await store.claim("telegram", C1, "m1") is None
    assert await store.claim("sms", C1, "m2") is None


async def test_an_abandoned_delivery_is_handled_afresh(deliveries: DeliveriesUnderTest) -> None:
    store = deliveries.store
    assert await store.claim("sms", C1, "m1") is None
    await store.abandon("sms", C1, "m1")
    assert await store.claim("sms", C1, "m1") is None
    await store.abandon("sms", C1, "never-claimed")  # nothing to release: no error


async def test_a_late_abandon_never_drops_a_stored_answer(deliveries: DeliveriesUnderTest) -> None:
    """An abandon written once the database was back, after a retry was answered."""
    store = deliveries.store
    assert await store.claim("sms", C1, "m1") is None
    await store.finish("sms", C1, "m1", ANSWER)
    await store.abandon("sms", C1, "m1")
    assert await store.claim("sms", C1, "m1") == ANSWER


async def test_an_answer_is_kept_without_a_claim(deliveries: DeliveriesUnderTest) -> None:
    """The claim failed (store down), the message was answered anyway: retries get the answer."""
    await deliveries.store.finish("sms", C1, "m1", ANSWER)
    assert await deliveries.store.claim("sms", C1, "m1") == ANSWER


async def test_a_retry_during_the_first_waits_for_its_answer(
    deliveries: DeliveriesUnderTest,
) -> None:
    store = deliveries.store
    assert await store.claim("sms", C1, "m1") is None
    retry = asyncio.ensure_future(store.claim("sms", C1, "m1"))
    await asyncio.sleep(0.05)
    assert not retry.done()  # in progress
    await store.finish("sms", C1, "m1", ANSWER)
    assert await asyncio.wait_for(retry, 5) == ANSWER


async def test_a_retry_during_an_abandoned_first_goes_ahead(
    deliveries: DeliveriesUnderTest,
) -> None:
    store = deliveries.store
    assert await store.claim("sms", C1, "m1") is None
    retry = asyncio.ensure_future(store.claim("sms", C1, "m1"))
    await asyncio.sleep(0.05)
    await store.abandon("sms", C1, "m1")
    assert await asyncio.wait_for(retry, 5) is None


async def test_a_first_delivery_that_never_ends_is_in_progress(
    deliveries: DeliveriesUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[float] = []
    pause = asyncio.sleep

    async def no_wait(seconds: float, *args: Any) -> None:
        pauses.append(seconds)
        await pause(0)

    assert await deliveries.store.claim("sms", C1, "m1") is None
    monkeypatch.setattr(module.asyncio, "sleep", no_wait)
    with pytest.raises(DeliveryInProgress, match="m1"):
        await deliveries.store.claim("sms", C1, "m1")
    assert sum(pauses) == pytest.approx(10.0)  # a retry waits ten seconds in all


async def test_old_deliveries_are_forgotten_now_and_then(deliveries: DeliveriesUnderTest) -> None:
    store = deliveries.store
    await store.finish("sms", C1, "old", ANSWER)
    await store.finish("sms", C1, "recent", ANSWER)
    deliveries.age(("sms", C1, "old"), dt.timedelta(days=8))  # kept seven days
    deliveries.age(("sms", C1, "recent"), dt.timedelta(days=6))
    store._claims = 999  # the next claim is the thousandth: old ones are forgotten
    assert await store.claim("sms", C1, "new") is None
    assert await store.claim("sms", C1, "old") is None
    assert await store.claim("sms", C1, "recent") == ANSWER
