"""The loopback bench of the SMS gateway tests: the SMS channel in a real Sanic app over
a bot that echoes, real SQLite state, and a Twilio-style REST / Kannel sendsms endpoint
that records what it is sent."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.sms.deliveries import Deliveries
from bot.channels.sms.gateway_routes import GatewayRoutes
from bot.channels.sms.gateways import KannelTransport, RecordingSmsSender, TwilioTransport
from bot.channels.sms.input import SmsInput
from bot.channels.sms.outbox import SmsOutbox
from bot.state.schema import state_engine
from tests.loopback.test_console_support import ConsoleServer

TOKEN = "twilio-auth-token"
KANNEL_SECRET = "k-secret"
C1 = "+8613800000001"
APP_NUMBERS = itertools.count(1)


@dataclass
class RestGateway:
    """A Twilio-style ``Messages.json`` endpoint and a sendsms endpoint, recording calls."""

    forms: list[dict[str, str]] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)
    sendsms: list[dict[str, str]] = field(default_factory=list)

    def serve(self) -> ThreadingHTTPServer:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                gateway.forms.append(dict(parse_qsl(body.decode())))
                gateway.auth.append(self.headers.get("Authorization", ""))
                self._answer(201, json.dumps({"sid": f"SM{len(gateway.forms):032d}"}).encode())

            def do_GET(self) -> None:
                gateway.sendsms.append(dict(parse_qsl(self.path.partition("?")[2])))
                self._answer(202, b"0: Accepted for delivery")

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


@dataclass
class Bench:
    server: ConsoleServer
    outbox: SmsOutbox
    rest: RestGateway
    rest_url: str
    sender: RecordingSmsSender
    heard: list[str]

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.post(f"{self.server.url}{path}", timeout=10, **kwargs)


def bench(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
    allow: tuple[str, ...] = ("127.0.0.1",),
) -> Iterator[Bench]:
    monkeypatch.setattr(Sanic, "test_mode", True)  # several Sanic apps in one process
    state = f"sqlite:///{tmp_path / 'state.db'}"
    outbox = SmsOutbox(state_engine(state), retry_limit=2)
    deliveries = Deliveries(state_engine(state, autocommit=True))
    rest = RestGateway()
    rest_server = rest.serve()
    rest_url = f"http://127.0.0.1:{rest_server.server_address[1]}"
    transport = (
        TwilioTransport(rest_url, "AC1", TOKEN, sender_id="10086", public_url="http://public")
        if mode == "twilio"
        else KannelTransport(
            f"{rest_url}/cgi-bin/sendsms",
            "assistant",
            "pw",
            sender_id="10086",
            public_url="http://public",
            secret=KANNEL_SECRET,
        )
    )
    sender = RecordingSmsSender(transport, lambda: outbox)
    public = "http://public" if mode == "kannel" else ""  # Twilio signs the URL it called
    routes = GatewayRoutes(
        mode=mode,
        sender=sender,
        kannel_secret=KANNEL_SECRET,
        public_url=public,
        kannel_allow_ips=allow,
        twilio_auth_token=TOKEN,
    )
    channel = SmsInput(
        "json-secret", "identity", deliveries=lambda: deliveries, sender=sender, gateway=routes
    )
    heard: list[str] = []

    async def on_new_message(message: UserMessage) -> None:
        heard.append(message.text or "")
        await message.output_channel.send_text_message(message.sender_id, f"收到：{message.text}")
        await message.output_channel.send_text_message(message.sender_id, "second")

    app = Sanic(f"sms_gateways_{mode}_{next(APP_NUMBERS)}")
    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/sms")
    server = ConsoleServer(app)
    server.start()
    yield Bench(server, outbox, rest, rest_url, sender, heard)
    server.stop()
    rest_server.shutdown()
