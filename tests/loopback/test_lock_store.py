"""The shared Redis lock store on a real Redis (Debian's redis-server, on loopback): two
Rasa servers' stores serve one conversation's turns one at a time, in order, without a
lost ticket; a ticket left by a stopped server expires; a lock that cannot be given back
does not fail the finished turn."""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
from collections.abc import Iterator

import pytest
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_ext.lock_store import SharedRedisLockStore
from tools.devstack import free_port
from tools.scaleout_services import Redis, ensure_packages

CUSTOMER = "+8613800000001"


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    ensure_packages(("redis-server",))
    server = Redis(tmp_path_factory.mktemp("redis"), free_port(), secrets.token_hex(8))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def store_on(server: Redis, port: int | None = None) -> SharedRedisLockStore:
    """A store as one Rasa server makes it (a connection pool of its own)."""
    return SharedRedisLockStore(
        host="127.0.0.1",
        port=port or server.port,
        password=server.password,
        db=1,
        socket_timeout=2,
    )


@pytest.fixture
def servers(redis_server: Redis) -> list[SharedRedisLockStore]:
    redis_server.client(db=1).flushdb()
    return [store_on(redis_server), store_on(redis_server)]


def take_turns(
    store: SharedRedisLockStore, turns: int, inside: list[int], log: list[tuple[int, int]], me: int
) -> list[BaseException]:
    """``turns`` locked turns in an event loop of this thread (one Rasa server)."""
    errors: list[BaseException] = []

    async def turns_of_one_server() -> None:
        for _ in range(turns):
            try:
                async with store.lock(CUSTOMER, wait_time_in_seconds=0.001):
                    inside.append(me)
                    log.append((me, len(inside)))
                    await asyncio.sleep(0.0005)
                    inside.remove(me)
            except LockError as error:
                errors.append(error)

    asyncio.run(turns_of_one_server())
    return errors


def test_two_servers_take_turns_without_losing_a_ticket(
    servers: list[SharedRedisLockStore],
) -> None:
    inside: list[int] = []
    log: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    threads = [
        threading.Thread(
            target=lambda s=store, me=me: errors.extend(take_turns(s, 150, inside, log, me))
        )
        for me, store in enumerate(servers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(log) == 300
    assert {who for who, _ in log} == {0, 1}
    assert max(at_once for _, at_once in log) == 1  # never two turns at once
    assert servers[0].get_lock(CUSTOMER) is None  # the last ticket took the lock with it


async def test_tickets_are_served_in_the_order_they_were_taken(
    servers: list[SharedRedisLockStore],
) -> None:
    first, second = servers
    order: list[str] = []

    async def turn(store: SharedRedisLockStore, name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        async with store.lock(CUSTOMER, wait_time_in_seconds=0.01):
            order.append(f"{name} in")
            await asyncio.sleep(0.05)
            order.append(f"{name} out")

    await asyncio.gather(turn(first, "a", 0), turn(second, "b", 0.01), turn(first, "c", 0.02))
    assert order == ["a in", "a out", "b in", "b out", "c in", "c out"]


async def test_a_ticket_left_by_a_stopped_server_expires(
    servers: list[SharedRedisLockStore],
) -> None:
    stopped, running = servers
    stopped.issue_ticket(CUSTOMER, lock_lifetime=0.3)  # taken, never given back
    started = time.monotonic()
    async with running.lock(CUSTOMER, wait_time_in_seconds=0.05):
        waited = time.monotonic() - started
    assert 0.2 < waited < 2.0
    assert running.get_lock(CUSTOMER) is None


async def test_redis_gone_after_the_turn_is_logged_not_raised(
    servers: list[SharedRedisLockStore], redis_server: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    store = servers[0]
    with caplog.at_level(logging.ERROR, logger="bot.rasa_ext.lock_store"):
        async with store.lock(CUSTOMER):
            store.red = store_on(redis_server, port=free_port()).red  # Redis unreachable now
    assert "lock store unreachable releasing the lock of +86138****0001" in caplog.text
    assert "8613800000001" not in caplog.text


async def test_redis_unreachable_before_the_turn_still_fails(redis_server: Redis) -> None:
    store = store_on(redis_server, port=free_port())
    with pytest.raises(LockError):
        async with store.lock(CUSTOMER):
            pytest.fail("the turn ran without a lock")


def test_rasa_makes_it_from_endpoints_yml() -> None:
    endpoint = EndpointConfig(
        url="127.0.0.1", type="bot.rasa_ext.lock_store.SharedRedisLockStore", port="6390", db="1"
    )
    made = LockStore.create(endpoint)
    assert type(made) is SharedRedisLockStore
    kwargs = made.red.connection_pool.connection_kwargs  # type: ignore[attr-defined]
    assert (kwargs["host"], kwargs["port"], kwargs["db"]) == ("127.0.0.1", 6390, 1)


async def test_the_next_turn_starts_as_soon_as_the_lock_is_free(
    servers: list[SharedRedisLockStore],
) -> None:
    first, second = servers
    released = asyncio.Event()
    ended_at = 0.0

    async def holder() -> None:
        nonlocal ended_at
        async with first.lock(CUSTOMER):
            released.set()
            await asyncio.sleep(0.3)
            ended_at = time.monotonic()

    async def waiter() -> float:
        await released.wait()
        async with second.lock(CUSTOMER):  # Rasa's call: the default wait between looks
            return time.monotonic() - ended_at

    _, delay = await asyncio.gather(holder(), waiter())
    assert 0 <= delay < 0.2  # Rasa's RedisLockStore: up to a second
