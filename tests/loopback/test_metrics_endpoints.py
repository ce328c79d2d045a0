"""``/metrics`` on each server answers only its scraper, in Prometheus's text format.

The action server checks its own token; the console and the Rasa server's ops channel
check ``METRICS_TOKEN`` (no token configured: no ``/metrics``). Real servers on loopback.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from rasa.core.channels.channel import register
from sanic import Sanic

from bot.channels.ops import OpsChannel
from bot.console.settings import ConsoleSettings
from bot.rasa_ext.action_server import create_action_app
from tests.loopback.serving import serve_on_loopback
from tests.loopback.test_console_support import Kit, login, start_kit
from tools.devstack import free_port

TOKEN = "unit-metrics-token-0123456789"
PROMETHEUS_TEXT = "text/plain; version=0.0.4"
_names = itertools.count()


@pytest.fixture
async def action_server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    monkeypatch.setattr(Sanic, "test_mode", True)
    async for url in serve_on_loopback(create_action_app(sys.modules[__name__], TOKEN)):
        yield url


class _Agent:
    def __init__(self) -> None:
        self.ready = False

    def is_ready(self) -> bool:
        return self.ready


@pytest.fixture
async def rasa_server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[str, _Agent]]:
    """A Sanic app with the ops channel mounted as Rasa mounts channels."""
    monkeypatch.setattr(Sanic, "test_mode", True)
    app = Sanic(f"rasa_ops_{next(_names)}")
    agent = _Agent()
    app.ctx.agent = agent
    register([OpsChannel(TOKEN)], app, route="/webhooks/")
    async for url in serve_on_loopback(app):
        yield url, agent


async def test_the_action_servers_metrics_need_its_token(action_server: str) -> None:
    async with httpx.AsyncClient(base_url=action_server) as client:
        refused = await client.get("/metrics")
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        given = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert refused.status_code == wrong.status_code == 401
    assert given.status_code == 200 and given.headers["content-type"].startswith(PROMETHEUS_TEXT)
    assert "# TYPE assistant_action_errors_total counter" in given.text


async def test_the_rasa_servers_ops_routes_sit_at_the_root(rasa_server: tuple[str, _Agent]) -> None:
    url, agent = rasa_server
    async with httpx.AsyncClient(base_url=url) as client:
        health = await client.get("/health")
        loading = await client.get("/ready")
        agent.ready = True
        ready = await client.get("/ready")
        refused = await client.get("/metrics")
        given = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert health.status_code == 200
    assert loading.status_code == 503 and ready.status_code == 200
    assert refused.status_code == 401
    assert given.status_code == 200 and "assistant_reply_seconds" in given.text


@pytest.fixture
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kit]:
    kit = start_kit(tmp_path, monkeypatch, ConsoleSettings(metrics_token=TOKEN))
    yield kit
    kit.server.stop()


def test_the_consoles_metrics_need_the_metrics_token(console: Kit) -> None:
    agent = console.client()
    assert login(agent).status_code == 303
    assert agent.get("/metrics").status_code == 401  # a session is not the token
    response = console.client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and "assistant_queue_length" in response.text


def test_without_a_token_the_console_has_no_metrics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = start_kit(tmp_path, monkeypatch)
    try:
        assert kit.client().get("/metrics").status_code == 404
    finally:
        kit.server.stop()


def test_the_notice_scheduler_serves_metrics_only_when_given_a_port() -> None:
    from bot.notices.process import serve_metrics

    assert serve_metrics({}) is None
    port = free_port()
    server = serve_metrics({"NOTICES_METRICS_PORT": str(port)})
    assert server is not None
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 200 and "assistant_notices_total" in response.text
