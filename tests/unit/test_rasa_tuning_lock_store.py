"""A lock that cannot be released because Redis went away does not fail the finished turn."""

from __future__ import annotations

import logging

import pytest
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.rasa_ext.lock_store import ForgivingRedisLockStore


class _FakeRedis:
    """The three commands the lock store uses, on a dict; ``down`` makes Redis unreachable."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.down = False

    def _check(self) -> None:
        if self.down:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")

    def get(self, key: str) -> bytes | None:
        self._check()
        return self.data.get(key)

    def set(self, key: str, value: str) -> None:
        self._check()
        self.data[key] = value.encode()

    def delete(self, key: str) -> int:
        self._check()
        return 1 if self.data.pop(key, None) is not None else 0


@pytest.fixture
def store() -> ForgivingRedisLockStore:
    lock_store = ForgivingRedisLockStore(host="127.0.0.1", port=1)  # connects on first use
    lock_store.red = _FakeRedis()  # type: ignore[assignment]
    return lock_store


async def test_a_lock_is_released_as_rasa_releases_it(store: ForgivingRedisLockStore) -> None:
    async with store.lock("+8613800000001"):
        assert store.red.data  # type: ignore[attr-defined]
    assert store.red.data == {}  # type: ignore[attr-defined]


async def test_redis_gone_mid_message_is_logged_not_raised(
    store: ForgivingRedisLockStore, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.rasa_ext.lock_store"):
        async with store.lock("+8613800000001"):
            store.red.down = True  # type: ignore[attr-defined]
    assert "lock store unreachable releasing the lock of +86138****0001" in caplog.text
    assert "8613800000001" not in caplog.text


async def test_redis_unreachable_before_the_turn_still_fails(
    store: ForgivingRedisLockStore,
) -> None:
    store.red.down = True  # type: ignore[attr-defined]
    with pytest.raises(LockError):
        async with store.lock("+8613800000001"):
            pytest.fail("the turn ran without a lock")


def test_rasa_makes_it_from_endpoints_yml() -> None:
    endpoint = EndpointConfig(
        url="127.0.0.1", type="bot.rasa_ext.lock_store.ForgivingRedisLockStore", port="6390", db="1"
    )
    made = LockStore.create(endpoint)
    assert type(made) is ForgivingRedisLockStore
    kwargs = made.red.connection_pool.connection_kwargs  # type: ignore[attr-defined]
    assert (kwargs["host"], kwargs["port"], kwargs["db"]) == ("127.0.0.1", 6390, 1)
