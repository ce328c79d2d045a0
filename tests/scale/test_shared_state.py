"""What the nodes share: Rasa's Redis lock serialises one customer's texts across
servers, and billing's daily order numbers stay unique with two action servers."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable

import pytest

from bot.billing.sql import SqlBillingService
from bot.db import make_engine
from bot.scaleout import Cluster
from bot.sms_client import SmsGatewayClient, SmsReply
from tests.scale.conftest import SECRET, Customers
from tests.scale.test_scale_out import KINDS, tracker_turns

pytestmark = pytest.mark.scale

FIRST, SECOND = "查余额", "how much data is left?"


async def timed(send: Awaitable[SmsReply]) -> tuple[SmsReply, float]:
    reply = await send
    return reply, time.perf_counter()


async def test_two_texts_on_two_servers_are_handled_in_turn(
    cluster: Cluster, customers: Customers
) -> None:
    """The second text reaches the other Rasa server while the first one holds the
    conversation's lock in Redis: it waits, and the tracker holds both turns whole."""
    locks = cluster.redis.client(db=int(cluster.node_env()["LOCK_STORE_DB"]))
    first_node, second_node = (SmsGatewayClient(n.rasa_url, SECRET) for n in cluster.nodes)

    async def two_texts(number: str) -> tuple[bool, SmsReply, SmsReply, bool]:
        first = asyncio.ensure_future(timed(first_node.send(number, FIRST)))
        deadline = time.monotonic() + 3
        while not locks.exists(f"lock:{number}") and not first.done():
            assert time.monotonic() < deadline, "the first text took no lock in Redis"
            await asyncio.sleep(0.005)
        overlapped = not first.done()
        second = asyncio.ensure_future(timed(second_node.send(number, SECOND)))
        (reply_1, done_1), (reply_2, done_2) = await first, await second
        return overlapped, reply_1, reply_2, done_2 > done_1

    senders = [customers.clone(demo) for demo in KINDS * 2]
    try:
        results = await asyncio.gather(*(two_texts(number) for number, _ in senders))
    finally:
        await first_node.aclose()
        await second_node.aclose()

    for (number, balance), (overlapped, reply_1, reply_2, in_turn) in zip(
        senders, results, strict=True
    ):
        assert (reply_1.status, reply_2.status) == (200, 200)
        assert f"{abs(balance):.2f}" in "\n".join(reply_1.texts), reply_1
        assert "GB used" in "\n".join(reply_2.texts), reply_2
        assert not overlapped or in_turn, "the second text was answered before the first"
        turns = tracker_turns(cluster, number)
        assert [said for said, _ in turns] == [FIRST, SECOND]
        assert [len(bot) for _, bot in turns] == [len(reply_1.texts), len(reply_2.texts)]
    assert sum(overlapped for overlapped, *_ in results) >= len(results) / 2, results


async def test_order_numbers_stay_unique_with_two_action_servers(
    cluster: Cluster, customers: Customers
) -> None:
    """Plan changes placed at the same moment through two engines (as two action servers
    would) on PostgreSQL: the daily sequence retries on a taken number."""
    services = [SqlBillingService(make_engine(cluster.billing_url)) for _ in range(2)]
    numbers = [customers.clone(3)[0] for _ in range(24)]  # like demo customer 4: P128
    effective = dt.date.today().replace(day=1) + dt.timedelta(days=32)
    orders = await asyncio.gather(
        *(
            services[i % 2].place_plan_change(number, "P88", effective.replace(day=1))
            for i, number in enumerate(numbers)
        )
    )
    assert sorted(order.msisdn for order in orders) == sorted(numbers)
    ids = [order.order_id for order in orders]
    assert len(set(ids)) == len(ids), ids
