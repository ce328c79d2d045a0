"""Load test of the scale-out deployment: many conversations at once through nginx,
two Rasa servers and two action servers sharing PostgreSQL and Redis.

Every conversation is a fixed journey (balance, usage, a plan recommendation declined
or accepted, bill, balance again) sent one text after another, as a customer would,
while all the others run; each reply must be exactly what the same journey gets
from a reference conversation of the same kind, in the same order, with the
customer's own balance, and Rasa's tracker in PostgreSQL must hold it the same way.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from bot.billing.models import PlanChangeOrderRow
from tests.scale.conftest import SECRET, Customers
from tools.scaleout import Cluster
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.scale

KINDS = (1, 2, 3, 4)  # demo customers 2-5: arrears, low balance, each offered a plan
OPENING = ("查余额", "how much data is left?", "推荐套餐")
DECLINE = ("2",)
ACCEPT = ("1", "1")  # take the offer, then confirm it: an order
CLOSING = ("查账单", "what's my balance?")
CONVERSATIONS = 32
THINK = (0.5, 3.0)  # seconds a customer reads and types before the next text
ORDER_ID = re.compile(r"PC\d{10}")


@dataclass
class Conversation:
    """One customer's journey and what came back, step by step."""

    number: str
    balance: Decimal
    kind: tuple[int, bool]  # (demo customer, accepts the offer)
    texts: tuple[str, ...]
    replies: list[list[str]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    def normalised(self) -> list[list[str]]:
        """The replies with this customer's balance (first and last step) and order
        number blanked, comparable with another conversation of the same kind."""
        amount = f"{abs(self.balance):.2f}"
        steps = [[ORDER_ID.sub("PC<id>", reply) for reply in step] for step in self.replies]
        for index in (0, len(steps) - 1):
            steps[index] = [reply.replace(amount, "<balance>") for reply in steps[index]]
        return steps


def journey(customers: Customers, demo: int, accepts: bool) -> Conversation:
    number, balance = customers.clone(demo)
    middle = ACCEPT if accepts else DECLINE
    return Conversation(number, balance, (demo, accepts), OPENING + middle + CLOSING)


async def talk(client: SmsGatewayClient, conversation: Conversation, rng: random.Random) -> None:
    for message in conversation.texts:
        await asyncio.sleep(rng.uniform(*THINK))
        started = time.perf_counter()
        reply = await client.send(conversation.number, message)
        conversation.latencies.append(time.perf_counter() - started)
        conversation.statuses.append(reply.status)
        conversation.replies.append(reply.texts)


async def run_all(url: str, conversations: list[Conversation], seed: int) -> float:
    client = SmsGatewayClient(url, SECRET, timeout=60)
    started = time.perf_counter()
    try:
        await asyncio.gather(
            *(talk(client, c, random.Random(seed + i)) for i, c in enumerate(conversations))
        )
    finally:
        await client.aclose()
    return time.perf_counter() - started


def check_reference(conversation: Conversation) -> None:
    """A reference journey says what each step should, with the customer's figures."""
    replies = ["\n".join(step) for step in conversation.replies]
    assert conversation.statuses == [200] * len(conversation.texts), conversation
    amount = f"{abs(conversation.balance):.2f}"
    assert amount in replies[0] and amount in replies[-1], replies
    assert "GB used" in replies[1], replies[1]
    assert "推荐" in replies[2] and "1. " in replies[2], replies[2]
    if conversation.kind[1]:
        assert ORDER_ID.search(replies[4]), replies[4]
    else:
        assert "保持不变" in replies[3], replies[3]
    assert "近三个月账单" in replies[-2], replies[-2]


def tracker_turns(cluster: Cluster, number: str) -> list[tuple[str, list[str]]]:
    """(user text, the bot's texts after it) for each message, from Rasa's PostgreSQL."""
    engine = create_engine(cluster.tracker_url, future=True)
    query = text(
        "SELECT type_name, data FROM events WHERE sender_id = :sender "
        "AND type_name IN ('user', 'bot') ORDER BY id"
    )
    with engine.connect() as connection:
        rows = connection.execute(query, {"sender": number}).all()
    engine.dispose()
    turns: list[tuple[str, list[str]]] = []
    for type_name, data in rows:
        said = json.loads(data).get("text") or ""
        if type_name == "user":
            turns.append((said, []))
        else:
            turns[-1][1].append(said)
    return turns


def upstream_counts(cluster: Cluster, request_line: str) -> Counter[str]:
    """How many requests of ``request_line`` nginx passed to each upstream."""
    counts: Counter[str] = Counter()
    for line in cluster.nginx.access_log.read_text().splitlines():
        if f'"{request_line} HTTP/1.1" 200' in line:
            counts[line.rsplit("upstream=", 1)[1].split()[0]] += 1
    return counts


async def test_interleaved_conversations_are_complete_and_in_order(
    cluster: Cluster, customers: Customers, capsys: pytest.CaptureFixture[str]
) -> None:
    kinds = [(demo, accepts) for demo in KINDS for accepts in (False, True)]
    references = {kind: journey(customers, *kind) for kind in kinds}
    await run_all(cluster.url, list(references.values()), seed=1)
    for reference in references.values():
        check_reference(reference)
    redis_before = cluster.redis.client().info("commandstats")

    load = [journey(customers, *kinds[i % len(kinds)]) for i in range(CONVERSATIONS)]
    elapsed = await run_all(cluster.url, load, seed=100)

    for conversation in load:
        assert conversation.statuses == [200] * len(conversation.texts), conversation
        expected = references[conversation.kind].normalised()
        assert conversation.normalised() == expected, conversation
        turns = tracker_turns(cluster, conversation.number)
        assert len(turns) == len(conversation.texts), turns
        for (said, bot_texts), sent, replies in zip(
            turns, conversation.texts, conversation.replies, strict=True
        ):
            assert said == sent or (sent.isdigit() and said.startswith("/")), (said, sent)
            assert len(bot_texts) == len(replies), (bot_texts, replies)
            assert all(r.startswith(b) for b, r in zip(bot_texts, replies, strict=True))

    # Each accepted offer is one order in billing, with the number the customer was told.
    told = {c.number: ORDER_ID.findall("\n".join(c.replies[4])) for c in load if c.kind[1]}
    with Session(create_engine(cluster.billing_url, future=True)) as session:
        orders = session.scalars(
            select(PlanChangeOrderRow).where(PlanChangeOrderRow.msisdn.in_(told))
        ).all()
    assert sorted((o.msisdn, [o.order_id]) for o in orders) == sorted(told.items())

    # Both nodes did the work, and the locks were Redis's.
    messages = sum(len(c.texts) for c in [*load, *references.values()])
    rasa = upstream_counts(cluster, "POST /webhooks/sms/webhook")
    actions = upstream_counts(cluster, "POST /webhook")
    assert sum(rasa.values()) == messages and len(rasa) == 2, rasa
    assert len(actions) == 2, actions
    assert min(rasa.values()) >= messages / 5 and min(actions.values()) >= sum(actions.values()) / 5
    redis_after = cluster.redis.client().info("commandstats")
    load_messages = sum(len(c.texts) for c in load)
    # each message takes a ticket (one script) and gives it back (HDEL)
    for command, per_message in (("evalsha", 1), ("hdel", 1)):
        key = f"cmdstat_{command}"
        calls = redis_after[key]["calls"] - redis_before.get(key, {}).get("calls", 0)
        assert calls >= per_message * load_messages, (command, calls)

    latencies = sorted(lat for c in load for lat in c.latencies)
    with capsys.disabled():
        print(
            f"\nscale-out: {load_messages} messages in {len(load)} interleaved conversations "
            f"in {elapsed:.1f} s ({load_messages / elapsed:.1f} msg/s with {THINK[0]}-"
            f"{THINK[1]} s think time); p50 {statistics.median(latencies) * 1000:.0f} ms, "
            f"p99 {latencies[int(0.99 * (len(latencies) - 1))] * 1000:.0f} ms; "
            f"Rasa servers {dict(rasa)}, action servers {dict(actions)}"
        )
