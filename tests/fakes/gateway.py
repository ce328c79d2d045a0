"""A fake SMS gateway outbound API on loopback: records what the assistant sends (e2e tests)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.channels.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    verify_timestamped,
)


class FakeSmsGateway:
    """``POST /send`` with ``{"to", "text"}``; a bad signature or a stale timestamp gets 401."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.sent: list[dict[str, Any]] = []
        self.rejected = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    verify_timestamped(
                        gateway.secret,
                        body,
                        self.headers.get(SIGNATURE_HEADER),
                        self.headers.get(TIMESTAMP_HEADER),
                    )
                except SignatureError:
                    gateway.rejected += 1
                    self.send_response(401)
                else:
                    gateway.sent.append(json.loads(body))
                    self.send_response(202)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/send"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def messages_to(self, msisdn: str) -> list[str]:
        return [m["text"] for m in self.sent if m["to"] == msisdn]
