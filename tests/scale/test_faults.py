"""Faults of the real parts: PostgreSQL, then Redis, restarted while customers text.

Conversations run through nginx and the signed SMS webhook while one shared part is
stopped for 30 seconds and started again. While it is down a text gets 503 with
``Retry-After`` and the client, playing the gateway, sends it again (same message id)
until it is answered: every text must get the bot's real answer (never the apology),
only later. Rasa's tracker in PostgreSQL must hold each conversation's texts once
each, in the order they were sent; a gateway retry of a text that was answered gets
the same answer back. Service comes back by itself: no process of the cluster other
than the restarted part has a new pid.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select, text

from bot.billing.models import PlanChangeOrderRow
from bot.domain.files import load_domain
from bot.domain.language import LANGUAGES
from bot.domain.responses import render
from tests.scale.conftest import ROOT, SECRET, Customers
from tests.scale.test_scale_out import KINDS, ORDER_ID
from tools.scaleout import Cluster
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.scale

DOMAIN = load_domain(ROOT / "domain")
APOLOGIES = {render(DOMAIN, "utter_service_unavailable", language) for language in LANGUAGES}
# Each conversation takes an offer (an order) first, then keeps asking, round and round.
OPENING = ("查余额", "推荐套餐", "1", "1")
ROUND = ("how much data is left?", "查账单", "what's my balance?", "推荐套餐", "2", "查余额")
CONVERSATIONS = 10
THINK = (0.3, 1.2)  # seconds between an answer and the next text
RETRY_SHARE = 0.3  # texts the gateway sends again (same message id) after the answer
WARM_UP = 4.0  # seconds of normal service before the part stops
DOWN = 30.0  # seconds the part stays down
GATEWAY_RETRIES_FOR = 120.0  # seconds the client sends a 503'd text again
AFTER = 6.0  # seconds of conversation once service is back
RECOVERY_LIMIT = 60.0  # service must come back within this many seconds of the restart


@dataclass
class Sent:
    """One text, its answer and, if the gateway sent it again, the retry's answer."""

    message_id: str
    text: str
    at: float
    status: int = 0
    attempts: int = 0  # sends until answered (503s are sent again)
    replies: list[str] = field(default_factory=list)
    retry: tuple[int, list[str]] | None = None

    @property
    def real(self) -> bool:
        """Answered by the bot itself (not the apology)."""
        return self.status == 200 and bool(self.replies) and not APOLOGIES & set(self.replies)


@dataclass
class Talk:
    number: str
    balance: Decimal
    sent: list[Sent] = field(default_factory=list)


async def converse(
    client: SmsGatewayClient, talk: Talk, texts: Callable[[], str], stop: asyncio.Event, seed: int
) -> None:
    """Text one after another until ``stop``; some texts are sent twice (retries)."""
    rng = random.Random(seed)
    while not stop.is_set():
        sent = Sent(f"{talk.number}-{len(talk.sent)}", texts(), time.monotonic())
        talk.sent.append(sent)
        reply = await client.send(talk.number, sent.text, message_id=sent.message_id)
        sent.status, sent.replies, sent.attempts = reply.status, reply.texts, reply.attempts
        if rng.random() < RETRY_SHARE:
            again = await client.send(talk.number, sent.text, message_id=sent.message_id)
            sent.retry = (again.status, again.texts)
        await asyncio.sleep(rng.uniform(*THINK))


def journey() -> Callable[[], str]:
    steps = itertools.chain(OPENING, itertools.cycle(ROUND))
    return lambda: next(steps)


def pids(cluster: Cluster) -> dict[str, int]:
    """The pids of the processes that must survive: both nodes' servers and nginx."""
    found = {
        f"{node.workdir.name} {name}": pid
        for node in cluster.nodes
        for name, pid in node.pids().items()
    }
    found["nginx"] = int((cluster.nginx.workdir / "nginx.pid").read_text())
    return found


def user_turns(cluster: Cluster, number: str) -> list[tuple[str, str]]:
    """(message id, text) of every customer text in Rasa's tracker, in stored order."""
    engine = create_engine(cluster.tracker_url, future=True)
    query = text(
        "SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id"
    )
    with engine.connect() as connection:
        rows = connection.execute(query, {"sender": number}).scalars().all()
    engine.dispose()
    return [(data["message_id"], data["text"]) for data in map(json.loads, rows)]


def check_conversation(cluster: Cluster, talk: Talk) -> None:
    for sent in talk.sent:
        assert sent.status == 200 and sent.replies, sent
        if sent.retry is not None:
            status, replies = sent.retry
            assert status == 200 and replies, sent
            if sent.real:  # answered once: a retry gets the stored answer, not a new one
                assert replies == sent.replies, sent
    turns = user_turns(cluster, talk.number)
    ids = [message_id for message_id, _ in turns]
    assert len(ids) == len(set(ids)), f"a text handled twice: {turns}"
    position = {sent.message_id: index for index, sent in enumerate(talk.sent)}
    order = [position[message_id] for message_id in ids]
    assert order == sorted(order), f"texts out of order: {turns}"
    for message_id, said in turns:
        sent_text = talk.sent[position[message_id]].text
        assert said == sent_text or (sent_text.isdigit() and said.startswith("/")), turns
    missing = [s for s in talk.sent if s.real and s.message_id not in set(ids)]
    assert not missing, f"answered but not in the tracker: {missing}"


@dataclass
class Outcome:
    texts: int
    apologies: int
    sent_again: int  # texts answered only after one or more 503s
    down_for: float  # seconds from stopping the part until it was started again
    back_after: float  # seconds from the part's start until a text got a real answer
    recovered_at: float  # when that text was sent (monotonic clock)


async def restart_while_texting(
    cluster: Cluster, customers: Customers, part: str
) -> tuple[list[Talk], Outcome]:
    """Conversations run while ``part`` (postgres or redis) is stopped and started."""
    service = getattr(cluster, part)
    talks = [Talk(*customers.clone(KINDS[i % len(KINDS)])) for i in range(CONVERSATIONS)]
    client = SmsGatewayClient(cluster.url, SECRET, timeout=60, retry_for=GATEWAY_RETRIES_FOR)
    stop = asyncio.Event()
    running = [
        asyncio.ensure_future(converse(client, talk, journey(), stop, seed=i))
        for i, talk in enumerate(talks)
    ]
    try:
        await asyncio.sleep(WARM_UP)
        before = pids(cluster)
        stopped = time.monotonic()
        await asyncio.to_thread(service.stop)
        assert not service.running()
        await asyncio.sleep(DOWN)
        await asyncio.to_thread(service.start)
        started = time.monotonic()
        back = await _first_real_answer_after(talks, started, started + RECOVERY_LIMIT)
        await asyncio.sleep(AFTER)
    finally:
        stop.set()
        await asyncio.gather(*running, return_exceptions=True)
        await client.aclose()
    for task in running:
        task.result()  # a conversation that raised fails the test here
    assert pids(cluster) == before, "a process was restarted"
    assert all(cluster.running().values()), cluster.running()
    sent = [s for talk in talks for s in talk.sent]
    apologies = sum(1 for s in sent if not s.real)
    again = sum(1 for s in sent if s.attempts > 1)
    return talks, Outcome(len(sent), apologies, again, started - stopped, back - started, back)


async def _first_real_answer_after(talks: list[Talk], since: float, deadline: float) -> float:
    while time.monotonic() < deadline:
        answered = [s.at for t in talks for s in t.sent if s.at >= since and s.real]
        if answered:
            return min(answered)
        await asyncio.sleep(0.1)
    raise AssertionError(f"no real answer within {deadline - since:.0f} s of the restart")


def check_normal_service(talks: list[Talk], since: float) -> None:
    """Every text sent a second after service came back got a real answer."""
    late = [s for talk in talks for s in talk.sent if s.at >= since + 1.0]
    assert late, "no text was sent after service came back"
    assert all(s.real for s in late), [s for s in late if not s.real]


def check_orders(cluster: Cluster, talks: list[Talk]) -> None:
    """An accepted offer is at most one order, and the one the customer was told of."""
    engine = create_engine(cluster.billing_url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            select(PlanChangeOrderRow.msisdn, PlanChangeOrderRow.order_id).where(
                PlanChangeOrderRow.msisdn.in_([t.number for t in talks])
            )
        ).all()
    engine.dispose()
    placed: dict[str, list[str]] = {}
    for msisdn, order_id in rows:
        placed.setdefault(msisdn, []).append(order_id)
    for talk in talks:
        told = {o for s in talk.sent for o in ORDER_ID.findall("\n".join(s.replies))}
        orders = placed.get(talk.number, [])
        assert len(orders) <= 1, (talk.number, orders)
        assert told <= set(orders), (talk.number, told, orders)


@pytest.mark.parametrize("part", ["postgres", "redis"])
async def test_restart_while_customers_text(
    cluster: Cluster, customers: Customers, part: str, capsys: pytest.CaptureFixture[str]
) -> None:
    talks, outcome = await restart_while_texting(cluster, customers, part)
    for talk in talks:
        check_conversation(cluster, talk)
    check_orders(cluster, talks)
    check_normal_service(talks, outcome.recovered_at)
    with capsys.disabled():
        print(
            f"\n{part} restarted ({outcome.down_for:.1f} s down) under {CONVERSATIONS} "
            f"conversations: {outcome.apologies} of {outcome.texts} texts got the apology, "
            f"{outcome.sent_again} were answered after 503s; a real answer "
            f"{outcome.back_after:.1f} s after it was started again"
        )
    assert outcome.apologies == 0, "a text got the apology: the customer would send it again"
    assert outcome.sent_again > 0, "no text came in while the part was down"
