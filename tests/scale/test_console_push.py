"""Live push across console instances: two consoles on the cluster's PostgreSQL, each
tailing the desk's change log; a case opened, then claimed through console A, reaches an
agent's stream on console B within a second."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Iterator

import httpx
import pytest
from sanic import Sanic

from bot.config import load_settings
from bot.console.access.accounts import AgentAccounts
from bot.console.settings import ConsoleSettings
from bot.console.web.app import create_app
from bot.console.wiring import console_services
from bot.domain.ids import WEB
from bot.handoff.queue import HandoffReason
from bot.handoff.queue_sql import SqlHandoffQueue
from bot.state.schema import state_engine
from tests.loopback.test_console_live import SseReader
from tests.loopback.test_console_support import PASSWORD, ConsoleServer, login, page_csrf
from tools.scaleout import Cluster


@pytest.fixture
def consoles(cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[ConsoleServer]]:
    """Two consoles built by the console's composition root with the cluster's settings."""
    monkeypatch.setattr(Sanic, "test_mode", True)
    for name, value in cluster.node_env().items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    servers = []
    for letter in ("a", "b"):
        console = console_services(settings, ConsoleSettings()).console
        server = ConsoleServer(create_app(console, name=f"console_push_{letter}"))
        server.start()
        servers.append(server)
    yield servers
    for server in servers:
        server.stop()


def test_a_case_opened_and_claimed_via_a_shows_on_b(
    cluster: Cluster, consoles: list[ConsoleServer]
) -> None:
    a, b = consoles
    agent = f"push{secrets.token_hex(3)}"
    AgentAccounts(state_engine(cluster.state_url)).add(agent, PASSWORD)
    on_a = httpx.Client(base_url=a.url, follow_redirects=False, timeout=10)
    on_b = httpx.Client(base_url=b.url, follow_redirects=False, timeout=10)
    assert login(on_a, agent).status_code == 303 and login(on_b, agent).status_code == 303
    reader = SseReader(on_b)
    reader.until(": live")

    conversation = f"web-{secrets.token_urlsafe(16)[:22]}.{secrets.token_hex(16)}"
    queue = SqlHandoffQueue(state_engine(cluster.state_url))
    started = time.monotonic()
    case = asyncio.run(queue.create(conversation, None, WEB, "en", HandoffReason.CUSTOMER_REQUEST))
    opened = reader.desk_event()
    assert time.monotonic() - started < 1.0
    assert (opened["kind"], opened["handoff_id"]) == ("case_opened", case.id)

    token = page_csrf(on_a, "/")
    started = time.monotonic()
    claimed = on_a.post(f"/cases/{case.id}/claim", data={"csrf_token": token})
    assert claimed.status_code == 303
    event = reader.desk_event()
    assert time.monotonic() - started < 1.0
    assert (event["kind"], event["handoff_id"], event["agent"]) == (
        "case_claimed",
        case.id,
        agent,
    )
    assert on_b.get(f"/api/cases/{case.id}").json()["claimed_by"] == agent
    reader.close()
    on_a.close()
