"""What the nodes share: Rasa's Redis lock serialises one customer's texts across
servers, and billing's daily order numbers stay unique with two action servers."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest
from sqlalchemy import create_engine, text

from bot.billing.sql import SqlBillingService
from bot.storage.db import make_engine
from tests.scale.conftest import SECRET, Customers
from tests.scale.test_scale_out import KINDS, tracker_turns
from tools.scaleout import Cluster
from tools.sms_client import SmsGatewayClient, SmsReply

pytestmark = pytest.mark.scale

FIRST, SECOND = "查余额", "how much data is left?"


def session_starts(cluster: Cluster, number: str) -> int:
    engine = create_engine(cluster.tracker_url, future=True)
    query = text(
        "SELECT count(*) FROM events WHERE sender_id = :sender AND type_name = 'session_started'"
    )
    with engine.connect() as connection:
        count = int(connection.execute(query, {"sender": number}).scalar_one())
    engine.dispose()
    return count


async def test_two_texts_on_two_servers_are_handled_in_turn(
    cluster: Cluster, customers: Customers
) -> None:
    """A new customer's second text reaches the other Rasa server while the first one
    holds the conversation's lock in Redis. Unserialised, both servers would start a
    session and write their turns into each other; serialised, the tracker holds one
    session and both turns whole, in order. (Which HTTP answer comes back first is
    not checked: the first server may still be busy with other customers.)"""
    locks = cluster.redis.client(db=int(cluster.node_env()["LOCK_STORE_DB"]))
    first_node, second_node = (SmsGatewayClient(n.rasa_url, SECRET) for n in cluster.nodes)

    async def two_texts(number: str) -> tuple[bool, SmsReply, SmsReply]:
        first = asyncio.ensure_future(first_node.send(number, FIRST))
        deadline = time.monotonic() + 3
        while not locks.exists(f"lock:{number}:tickets") and not first.done():
            assert time.monotonic() < deadline, "the first text took no lock in Redis"
            await asyncio.sleep(0.005)
        overlapped = not first.done()
        second = await second_node.send(number, SECOND)
        return overlapped, await first, second

    senders = [customers.clone(demo) for demo in KINDS * 2]
    try:
        results = await asyncio.gather(*(two_texts(number) for number, _ in senders))
    finally:
        await first_node.aclose()
        await second_node.aclose()

    for (number, balance), (_, reply_1, reply_2) in zip(senders, results, strict=True):
        assert (reply_1.status, reply_2.status) == (200, 200)
        assert f"{abs(balance):.2f}" in "\n".join(reply_1.texts), reply_1
        assert "GB used" in "\n".join(reply_2.texts), reply_2
        assert session_starts(cluster, number) == 1
        turns = tracker_turns(cluster, number)
        assert [said for said, _ in turns] == [FIRST, SECOND]
        assert [len(bot) for _, bot in turns] == [len(reply_1.texts), len(reply_2.texts)]
    # Most second texts were sent while the first one held the lock.
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
