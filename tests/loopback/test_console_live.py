"""Live push on loopback: the console's /api/live stream over a real SQLite change log."""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.console.live.hub import LiveHub
from bot.console.web.security import SESSION_COOKIE
from bot.domain.ids import WEB
from bot.handoff.desk_events import DeskEventKind, DeskEventLog
from bot.handoff.queue import HandoffReason
from bot.handoff.queue_sql import SqlHandoffQueue
from tests.loopback.test_console_support import Kit, running_kit, signed_in

CONVERSATION = "web-" + "a" * 22 + "." + "0" * 32


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    for running in running_kit(tmp_path, monkeypatch):
        running.console.live = LiveHub(DeskEventLog(running.engine), interval=0.1, heartbeat=0.3)
        yield running


class SseReader:
    """Reads a stream's lines on a thread; ``until`` waits for a line with a deadline."""

    def __init__(self, client: httpx.Client, headers: dict[str, str] | None = None) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.status: int | None = None
        self.headers: httpx.Headers | None = None
        self._opened = threading.Event()
        self._client = client
        self._thread = threading.Thread(target=self._read, args=(headers or {},), daemon=True)
        self._thread.start()
        assert self._opened.wait(5), "the stream did not open"

    def _read(self, headers: dict[str, str]) -> None:
        try:
            with self._client.stream("GET", "/api/live", headers=headers) as response:
                self.status, self.headers = response.status_code, response.headers
                self._opened.set()
                for line in response.iter_lines():
                    self.lines.put(line)
        except httpx.HTTPError:
            pass
        finally:
            self._opened.set()
            self.lines.put(None)  # the stream ended

    def until(self, wanted: str, seconds: float = 1.0) -> list[str]:
        """Every line up to the first that starts with ``wanted``, within ``seconds``."""
        seen: list[str] = []
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"no {wanted!r} within {seconds} s; got {seen}"
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            assert line is not None, f"the stream ended before {wanted!r}; got {seen}"
            seen.append(line)
            if line.startswith(wanted):
                return seen

    def desk_event(self, seconds: float = 1.0) -> dict[str, Any]:
        data = self.until("data: {", seconds)[-1]
        event: dict[str, Any] = json.loads(data.removeprefix("data: "))
        return event

    def ended(self, seconds: float) -> bool:
        self._thread.join(seconds)
        return not self._thread.is_alive()

    def close(self) -> None:
        self._client.close()


def test_the_stream_is_not_readable_without_a_session(kit: Kit) -> None:
    response = kit.client().get("/api/live")
    assert response.status_code == 401 and response.json() == {"error": "login required"}
    assert kit.console.live is not None and kit.console.live.subscribers == 0


def test_a_new_case_arrives_within_a_second(kit: Kit) -> None:
    reader = SseReader(signed_in(kit))
    assert reader.status == 200 and reader.headers is not None
    assert reader.headers["content-type"].startswith("text/event-stream")
    assert "no-store" in reader.headers["cache-control"]
    reader.until(": live")
    started = time.monotonic()
    case = asyncio.run(
        SqlHandoffQueue(kit.engine).create(
            CONVERSATION, None, WEB, "zh", HandoffReason.CUSTOMER_REQUEST
        )
    )
    event = reader.desk_event()
    assert time.monotonic() - started < 1.0
    assert event["kind"] == "case_opened" and event["handoff_id"] == case.id
    asyncio.run(SqlHandoffQueue(kit.engine).claim(case.id, "bob"))
    claimed = reader.desk_event()
    assert (claimed["kind"], claimed["agent"], claimed["id"]) == (
        "case_claimed",
        "bob",
        event["id"] + 1,
    )
    reader.close()


def test_a_reconnecting_browser_gets_what_it_missed(kit: Kit) -> None:
    log = DeskEventLog(kit.engine)
    for case_id in (1, 2, 3):
        asyncio.run(log.append(DeskEventKind.CASE_OPENED, handoff_id=case_id))
    first = asyncio.run(log.since(0))[0].id
    reader = SseReader(signed_in(kit), headers={"Last-Event-ID": str(first)})
    assert [reader.desk_event()["handoff_id"] for _ in range(2)] == [2, 3]
    after = reader.until(": ping", 1.0)  # then nothing but the heartbeat: no repeats
    assert not [line for line in after if line.startswith("data:")]
    reader.close()


def test_heartbeats_keep_the_stream_and_signing_out_ends_it(kit: Kit) -> None:
    client = signed_in(kit)
    reader = SseReader(client)
    reader.until(": ping", 1.0)  # an idle stream says something every heartbeat
    asyncio.run(kit.console.sessions.delete(client.cookies[SESSION_COOKIE]))
    reader.until("event: signed_out", 1.0)
    assert reader.ended(2.0)


def test_a_browser_that_goes_away_is_forgotten(kit: Kit) -> None:
    hub = kit.console.live
    assert hub is not None
    readers = [SseReader(signed_in(kit)) for _ in range(2)]
    for reader in readers:
        reader.until(": live")
    assert hub.subscribers == 2
    readers[0].close()
    deadline = time.monotonic() + 2
    while hub.subscribers != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hub.subscribers == 1
    readers[1].close()
