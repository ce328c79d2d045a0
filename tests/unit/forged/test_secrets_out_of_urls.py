"""Hostile suite, secrets: none rides in a URL that a log keeps.

The console and the notice scheduler call Rasa's API with a JWT in the header (never
``?token=``); the Kannel secret in the post-url path is masked in the app's logs,
Sanic's access log included. (nginx's log: tests/scale/test_proxy.py.)
"""

from __future__ import annotations

import io
import logging
import logging.config
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest
import yaml
from sanic.log import LOGGING_CONFIG_DEFAULTS

from bot.handoff.rasa_api import TOKEN_SECONDS, RasaAdminClient

ROOT = Path(__file__).resolve().parents[3]
SECRET = "jwt-secret-of-rasa-api-0123456789"
NOW = 1_700_000_000.0  # long past


async def test_the_console_calls_rasa_with_a_short_lived_jwt_and_no_query_secret() -> None:
    requests: list[httpx.Request] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={"events": []})

    client = RasaAdminClient(
        "http://rasa",
        SECRET,
        transport=httpx.MockTransport(rasa),
        username="console",
        clock=lambda: NOW,
    )
    await client.events("+8613800000005")
    await client.append("web-a.b", [{"event": "bot", "text": "hi"}], channel="rest")
    await client.trigger_intent("tg-42", "EXTERNAL_notice_bill", {}, "telegram")
    await client.aclose()
    assert len(requests) == 3
    for request in requests:
        assert SECRET not in str(request.url) and "token" not in str(request.url)
        scheme, _, token = request.headers["Authorization"].partition(" ")
        assert scheme == "Bearer" and token not in str(request.url)
        payload = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
        assert payload["user"] == {"username": "console", "role": "admin"}
        assert payload["exp"] - NOW <= TOKEN_SECONDS
        with pytest.raises(jwt.ExpiredSignatureError):  # long gone by now
            jwt.decode(token, SECRET, algorithms=["HS256"])


@pytest.fixture
def rasa_logging() -> Iterator[io.StringIO]:
    """Logging as the Rasa server sets it up: logging.yml, then Sanic's own defaults."""
    root, access = logging.getLogger(), logging.getLogger("sanic.access")
    saved = (root.handlers[:], root.level, access.handlers[:], access.filters[:], access.level)
    saved_propagate = access.propagate
    logging.config.dictConfig(yaml.safe_load((ROOT / "logging.yml").read_text()))
    logging.config.dictConfig(LOGGING_CONFIG_DEFAULTS)
    buffer = io.StringIO()
    for handler in [*root.handlers, *access.handlers]:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)
    access.setLevel(logging.INFO)
    yield buffer
    root.handlers, root.level = saved[0], saved[1]
    access.handlers, access.filters, access.level = saved[2], saved[3], saved[4]
    access.propagate = saved_propagate


def test_the_kannel_secret_is_masked_in_the_rasa_servers_logs(rasa_logging: io.StringIO) -> None:
    secret = "k4nnel-s3cret"
    url = f"http://127.0.0.1:5005/webhooks/sms/kannel/{secret}/dlr?type=1&id=7"
    extra = {"status": 200, "byte": 2, "host": "127.0.0.1:5005", "request": f"GET {url}"}
    logging.getLogger("sanic.access").info("", extra=extra)
    logging.getLogger("bot.channels.sms").info("report from %s", url)
    logging.getLogger("rasa.server").info("POST /conversations/x/tracker?token=t0ken-s3cret")
    text = rasa_logging.getvalue()
    assert "/webhooks/sms/kannel/****/dlr" in text and text.count("kannel/****") == 2
    assert secret not in text and "t0ken-s3cret" not in text and "token=****" in text
