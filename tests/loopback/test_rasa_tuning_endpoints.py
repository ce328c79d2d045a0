"""Endpoint calls reuse one session and its keep-alive connection."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_ext.fastjson import dumps as encode_json
from bot.rasa_ext.tuning.endpoints import close_kept_sessions, kept_session


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[int]]]:
    """A loopback HTTP server that records the client port of every request."""
    ports: list[int] = []

    async def webhook(request: web.Request) -> web.Response:
        ports.append(request.transport.get_extra_info("peername")[1])  # type: ignore[union-attr]
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/webhook", ports
    await runner.cleanup()


async def test_calls_share_a_connection(
    server: tuple[str, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, ports = server
    monkeypatch.setattr(EndpointConfig, "session", kept_session)
    endpoint = EndpointConfig(url, headers={"X-Test": "1"})
    for _ in range(3):
        assert await endpoint.request(json={"next_action": "action_x"}) == {
            "events": [],
            "responses": [],
        }
    assert len(ports) == 3 and len(set(ports)) == 1  # one keep-alive connection
    async with endpoint.session() as first, endpoint.session() as second:
        assert first is second and not first.closed
        assert first.headers["X-Test"] == "1"
    await close_kept_sessions()
    assert first.closed


async def test_a_closed_session_is_replaced(server: tuple[str, list[int]]) -> None:
    url, _ = server
    endpoint = EndpointConfig(url)
    async with kept_session(endpoint) as session:
        await session.close()
    async with kept_session(endpoint) as again:
        assert again is not session and not again.closed
    await close_kept_sessions()


def test_bodies_decode_to_what_json_gives() -> None:
    state = {"events": [{"event": "user", "text": "查余额 / 50%", "confidence": 0.1 + 0.2}], "n": 3}
    assert json.loads(encode_json(state)) == json.loads(json.dumps(state))
    assert json.loads(encode_json({"x": float("inf")}).replace("Infinity", "1e999")) == {
        "x": float("inf")
    }
