"""A Twilio-style hosted gateway on loopback (e2e): its REST API, its webhooks, its callbacks.

- Outbound: ``POST {url}/Accounts/{sid}/Messages.json`` (form ``To``, ``From``, ``Body``,
  ``StatusCallback``; basic auth ``sid:token``) is recorded and answered ``201`` with the
  message's JSON (``sid``, ``status: queued``), as Twilio does; a wrong account or
  password gets ``401``; ``refuse(n)`` makes the next ``n`` sends get ``503``.
- Inbound: ``deliver`` POSTs a customer's message to the assistant's webhook, form-encoded
  and signed (``X-Twilio-Signature``) by the ``twilio`` package's ``RequestValidator``.
- Status callbacks: ``callback`` POSTs a signed ``MessageStatus`` to a message's
  ``StatusCallback``.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
from twilio.request_validator import RequestValidator

API_PATH = "/2010-04-01"


@dataclass(frozen=True)
class RestMessage:
    """One message the assistant handed to the REST API."""

    sid: str
    to: str
    sender: str
    body: str
    status_callback: str


class FakeTwilio:
    """See the module's docstring."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.messages: list[RestMessage] = []
        self.refused: list[dict[str, str]] = []
        self.unauthorised = 0
        self._refuse = 0
        self._sids = itertools.count(1)
        self._inbound = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, answer = fake._send(
                    self.path, self.headers.get("Authorization", ""), body.decode("utf-8")
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def api_url(self) -> str:
        """What ``SMS_TWILIO_API_URL`` is set to."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{API_PATH}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def refuse(self, count: int) -> None:
        """The next ``count`` sends are refused (``503``), as by an overloaded gateway."""
        with self._lock:
            self._refuse = count

    def _send(self, path: str, authorization: str, body: str) -> tuple[int, dict[str, Any]]:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if path != f"{API_PATH}/Accounts/{self.account_sid}/Messages.json":
            return 404, {"code": 20404, "message": "The requested resource was not found"}
        if authorization != f"Basic {expected}":
            with self._lock:
                self.unauthorised += 1
            return 401, {"code": 20003, "message": "Authenticate"}
        form = dict(parse_qsl(body, keep_blank_values=True))
        with self._lock:
            if self._refuse > 0:
                self._refuse -= 1
                self.refused.append(form)
                return 503, {"code": 20503, "message": "Service unavailable"}
            sid = f"SM{next(self._sids):032x}"
            message = RestMessage(
                sid,
                form.get("To", ""),
                form.get("From", ""),
                form.get("Body", ""),
                form.get("StatusCallback", ""),
            )
            self.messages.append(message)
        return 201, {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": message.to,
            "from": message.sender,
            "body": message.body,
            "status": "queued",
        }

    def messages_to(self, msisdn: str) -> list[RestMessage]:
        with self._lock:
            return [m for m in self.messages if m.to == msisdn]

    def sign(self, url: str, fields: dict[str, str]) -> dict[str, str]:
        """The headers of a signed form POST to ``url``."""
        return {
            "X-Twilio-Signature": RequestValidator(self.auth_token).compute_signature(url, fields),
            "Content-Type": "application/x-www-form-urlencoded",
        }

    def deliver(
        self, webhook_url: str, sender: str, body: str, to: str = "10086"
    ) -> httpx.Response:
        """A customer's SMS, as Twilio POSTs it to the number's messaging webhook."""
        fields = {
            "MessageSid": f"SM{next(self._inbound):032d}",
            "AccountSid": self.account_sid,
            "From": sender,
            "To": to,
            "Body": body,
            "NumMedia": "0",
            "ApiVersion": "2010-04-01",
        }
        return httpx.post(
            webhook_url,
            content=urlencode(fields),
            headers=self.sign(webhook_url, fields),
            timeout=120,
        )

    def callback(self, message: RestMessage, status: str, error_code: str = "") -> httpx.Response:
        """Twilio's status callback on ``message``: ``sent``, ``delivered``, ``failed``..."""
        fields = {
            "MessageSid": message.sid,
            "SmsSid": message.sid,
            "AccountSid": self.account_sid,
            "MessageStatus": status,
            "SmsStatus": status,
            "To": message.to,
            "From": message.sender,
            "ApiVersion": "2010-04-01",
        }
        if error_code:
            fields["ErrorCode"] = error_code
        url = message.status_callback
        return httpx.post(
            url, content=urlencode(fields), headers=self.sign(url, fields), timeout=30
        )
