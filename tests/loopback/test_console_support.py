"""The agent console's test kit: the app over a fake desk on a loopback port, signed-in clients.

Other ``test_console_*`` modules import from here; the few tests at the end
check the kit itself.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sanic import Sanic
from sqlalchemy.engine import Engine

from bot.console.access.accounts import AgentAccounts
from bot.console.access.sessions import SessionStore
from bot.console.access.throttle import LoginThrottle
from bot.console.settings import ConsoleSettings
from bot.console.web.app import create_app
from bot.console.web.context import Console
from bot.review.desk import ReviewDesk
from bot.review.store import ReviewStore
from bot.state.schema import migrate
from bot.storage.db import make_engine
from tests.fakes import NOW, FakeHandoffDesk
from tests.fakes.review import REVIEW_INTENTS, FakeReviewSource
from tools.devstack import free_port

PASSWORD = "correct horse battery"
_app_names = itertools.count(1)


class ConsoleServer:
    """A console app served on a free loopback port by a thread with its own event loop."""

    def __init__(self, app: Sanic) -> None:
        self.app = app
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._ready = threading.Event()
        self._server: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._open())
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _open(self) -> None:
        server = await self.app.create_server(
            host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False
        )
        assert server is not None
        await server.startup()
        await server.start_serving()
        self._server = server

    async def _close(self) -> None:
        """Stop listening, drop open connections, end every task of the loop."""
        self._server.server.close()
        for connection in list(self._server.connections):
            connection.abort()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the console did not start")

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@dataclass
class Kit:
    """A running console with a fake desk and one agent per name in ``agents``."""

    server: ConsoleServer
    console: Console
    desk: FakeHandoffDesk
    clock: list[dt.datetime]  # [now] of the session store; move it to expire sessions
    throttle_clock: list[float]
    review_source: FakeReviewSource  # what the Review page reads (add candidates to it)
    engine: Engine  # the console's database: accounts, sessions, review items

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, follow_redirects=False, timeout=10, **kwargs)


def start_kit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: ConsoleSettings | None = None
) -> Kit:
    """Database, accounts ``ann`` and ``bob``, fake desk, app on a port."""
    # Several Sanic apps in one process (one per test) need Sanic's test mode.
    monkeypatch.setattr(Sanic, "test_mode", True)
    engine = make_engine(f"sqlite:///{tmp_path / 'console.db'}")
    migrate(engine)
    accounts = AgentAccounts(engine)
    for name in ("ann", "bob"):
        accounts.add(name, PASSWORD)
    clock, throttle_clock = [NOW], [1000.0]
    settings = settings or ConsoleSettings()
    sessions = SessionStore(
        engine,
        idle=settings.session_idle,
        max_age=settings.session_max_age,
        clock=lambda: clock[0],
    )
    desk = FakeHandoffDesk()
    review_source = FakeReviewSource()
    review = ReviewDesk(review_source, ReviewStore(engine), REVIEW_INTENTS, clock=lambda: clock[0])
    console = Console(
        desk=desk,
        accounts=accounts,
        sessions=sessions,
        review=review,
        settings=settings,
        throttle=LoginThrottle(clock=lambda: throttle_clock[0]),
    )
    server = ConsoleServer(create_app(console, name=f"console_test_{next(_app_names)}"))
    server.start()
    return Kit(server, console, desk, clock, throttle_clock, review_source, engine)


def running_kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    """The body of each module's ``kit`` fixture: a kit, stopped after the test."""
    running = start_kit(tmp_path, monkeypatch)
    yield running
    running.server.stop()


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    yield from running_kit(tmp_path, monkeypatch)


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: str) -> str:
    """The CSRF token of the first form of a page."""
    found = CSRF_INPUT.search(page)
    assert found, "no CSRF field on the page"
    return found.group(1)


def login(client: httpx.Client, username: str = "ann", password: str = PASSWORD) -> httpx.Response:
    """Sign in through the form, as a browser would; returns the POST's response."""
    form = client.get("/login")
    return client.post(
        "/login",
        data={"csrf_token": csrf_of(form.text), "username": username, "password": password},
    )


def signed_in(kit: Kit, username: str = "ann", **kwargs: Any) -> httpx.Client:
    """A client with a live session of ``username``."""
    client = kit.client(**kwargs)
    assert login(client, username).status_code == 303
    return client


def page_csrf(client: httpx.Client, path: str = "/") -> str:
    """The session's CSRF token, read from a page's forms."""
    return csrf_of(client.get(path).text)


# The kit itself.


def test_health_answers_without_login(kit: Kit) -> None:
    response = kit.client().get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
