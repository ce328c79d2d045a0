"""The action server answers only callers with the shared secret; Rasa sends it.

rasa-sdk's own app (``create_app``) with the token middleware, served on a loopback
port (the checks that need no server are in ``tests/unit/test_action_server.py``).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rasa.utils.endpoints import ClientResponseError, EndpointConfig, read_endpoint_config
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sanic import Sanic

from bot.rasa_ext.action_server import create_action_app
from bot.rasa_ext.tuning.endpoints import close_kept_sessions, kept_session
from tests.loopback.serving import serve_on_loopback
from tools.devstack import ENDPOINT_DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "unit-action-token-0123456789"
CALLS: list[str] = []  # sender ids that ActionRecordCall ran for


class ActionRecordCall(Action):
    """Records that it ran: a forged call must not get here."""

    def name(self) -> str:
        return "action_record_call"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        CALLS.append(tracker.sender_id)
        return [SlotSet("recorded", True)]


def action_call(sender: str = "+8613800000001") -> dict[str, Any]:
    """What Rasa posts to ``/webhook`` for ``action_record_call``."""
    tracker = {"sender_id": sender, "slots": {}, "latest_message": {}, "events": []}
    return {
        "next_action": "action_record_call",
        "sender_id": sender,
        "tracker": tracker,
        "domain": {},
        "version": "3.6.21",
    }


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    """The app for this module's action, served on a free loopback port."""
    monkeypatch.setattr(Sanic, "test_mode", True)  # one rasa_sdk app per test
    CALLS.clear()
    async for url in serve_on_loopback(create_action_app(sys.modules[__name__], TOKEN)):
        yield url


REFUSED_HEADERS = [
    {},
    {"Authorization": "Bearer wrong-token-0123456789"},
    {"Authorization": f"Bearer {TOKEN[:-1]}"},
    {"Authorization": f"Bearer {TOKEN}x"},
    {"Authorization": TOKEN},  # no scheme
    {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": "Bearer"},
    {"X-Action-Token": TOKEN},
]


@pytest.mark.parametrize("headers", REFUSED_HEADERS)
async def test_a_forged_call_without_the_token_runs_nothing(
    server: str, headers: dict[str, str]
) -> None:
    async with httpx.AsyncClient(base_url=server) as client:
        webhook = await client.post("/webhook", json=action_call(), headers=headers)
        listing = await client.get("/actions", headers=headers)
    assert webhook.status_code == 401 and listing.status_code == 401
    assert webhook.json() == {"error": "unauthorized"}
    assert webhook.headers["WWW-Authenticate"] == "Bearer"
    assert CALLS == []


async def test_the_token_runs_the_action(server: str) -> None:
    async with httpx.AsyncClient(base_url=server) as client:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        webhook = await client.post("/webhook", json=action_call("+86138"), headers=headers)
        listing = await client.get("/actions", headers=headers)
        health = await client.get("/health")  # open, and says nothing
    assert webhook.status_code == 200, webhook.text
    assert webhook.json()["events"][0]["name"] == "recorded"
    assert {"name": "action_record_call"} in listing.json()
    assert CALLS == ["+86138"]
    assert health.status_code == 200 and health.json() == {"status": "ok"}


@pytest.mark.parametrize("keep_sessions", [True, False], ids=["rasa_tuning", "stock_rasa"])
async def test_rasa_sends_the_token_from_endpoints_yml(
    server: str, monkeypatch: pytest.MonkeyPatch, keep_sessions: bool
) -> None:
    """endpoints.yml's ``headers:`` reach the request, also through the kept session."""
    for key, value in {**ENDPOINT_DEFAULTS, "TRACKER_DIALECT": "sqlite", "TRACKER_DB": ""}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("ACTION_ENDPOINT_URL", f"{server}/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", TOKEN)
    if keep_sessions:
        monkeypatch.setattr(EndpointConfig, "session", kept_session)
    endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    assert endpoint is not None
    try:
        result = await endpoint.request(json=action_call("+86139"), method="post")
        endpoint.headers = {"Authorization": "Bearer not-the-token"}
        endpoint.__dict__.pop("_project_sessions", None)  # a new session with these headers
        with pytest.raises(ClientResponseError) as refused:
            await endpoint.request(json=action_call("+86137"), method="post")
    finally:
        await close_kept_sessions()
    assert result["events"][0]["name"] == "recorded"
    assert refused.value.status == 401
    assert CALLS == ["+86139"]
