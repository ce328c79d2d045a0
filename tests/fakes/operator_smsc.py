"""The operator's side of Kannel's HTTP SMSC (``system-type = kannel``) on loopback (e2e).

- Mobile-terminated messages: Kannel calls ``GET /mt?username&password&to&from&text&
  coding&charset&udh&dlr-url&dlr-mask``; each is recorded with its raw text bytes,
  coding and UDH, and acknowledged with ``Sent.`` (what Kannel's driver expects).
- Mobile-originated messages: ``send_mo`` calls Kannel's ``/sms`` with the text in the
  bytes of its coding (UTF-16BE for coding 2).
- Delivery reports: ``report`` calls the dlr-url Kannel gave with the MT, ``%d`` filled in.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote_from_bytes, urlencode, urlsplit

import httpx


@dataclass(frozen=True)
class MtPart:
    """One mobile-terminated SMS (a part, if concatenated) as the SMS centre got it."""

    to: str
    sender: str
    raw: bytes
    coding: int
    charset: str
    udh: bytes
    dlr_url: str | None

    @property
    def text(self) -> str:
        codec = "utf-16-be" if self.coding == 2 or self.charset.upper() == "UTF-16BE" else "utf-8"
        return self.raw.decode(codec)

    @property
    def concatenation(self) -> tuple[int, int, int] | None:
        """(reference, total, sequence) from an 8-bit concatenation UDH, if any."""
        if len(self.udh) >= 6 and self.udh[1] == 0x00 and self.udh[2] == 0x03:
            return self.udh[3], self.udh[4], self.udh[5]
        return None


class OperatorSmsc:
    """See the module's docstring; ``mo_url`` and the credentials come from kannel.conf."""

    def __init__(self, username: str = "operator", password: str = "operator-secret") -> None:
        self.username, self.password = username, password
        self.mo_url = ""  # set once Kannel's port is known
        self.parts: list[MtPart] = []
        self._lock = threading.Lock()
        smsc = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = dict(parse_qsl(urlsplit(self.path).query, encoding="latin-1"))
                smsc._record(query)
                body = b"Sent."
                self.send_response(202)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def send_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/mt"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _record(self, query: dict[str, str]) -> None:
        raw = query.get("text", "").encode("latin-1")
        part = MtPart(
            to=query.get("to", "").encode("latin-1").decode(),
            sender=query.get("from", "").encode("latin-1").decode(),
            raw=raw,
            coding=int(query.get("coding") or 0),
            charset=query.get("charset", ""),
            udh=query.get("udh", "").encode("latin-1"),
            dlr_url=query.get("dlr-url", "").encode("latin-1").decode() or None,
        )
        with self._lock:
            self.parts.append(part)

    def send_mo(
        self, sender: str, text: str, *, to: str = "10086", ucs2: bool | None = None
    ) -> str:
        """A customer's message into Kannel (UCS-2 when not Latin-1, or when asked); Kannel's
        answer."""
        if ucs2 is None:
            ucs2 = not all(ord(ch) < 0x80 for ch in text)
        data = text.encode("utf-16-be") if ucs2 else text.encode("utf-8")
        query = urlencode(
            {
                "username": self.username,
                "password": self.password,
                "from": sender,
                "to": to,
                "coding": "2" if ucs2 else "0",
            }
        )
        query += "&charset=" + ("UTF-16BE" if ucs2 else "UTF-8")
        query += "&text=" + quote_from_bytes(data)
        return httpx.get(f"{self.mo_url}?{query}", timeout=10).text

    def report(self, part: MtPart, report_type: int) -> str:
        """A delivery report on ``part`` (1 delivered, 2 failed, 8 accepted, ...)."""
        assert part.dlr_url, "the MT carried no dlr-url"
        return httpx.get(part.dlr_url.replace("%d", str(report_type)), timeout=10).text

    def parts_to(self, msisdn: str) -> list[MtPart]:
        with self._lock:
            return [p for p in self.parts if p.to == msisdn]

    def messages_to(self, msisdn: str) -> list[str]:
        """Whole messages to ``msisdn``: concatenated parts joined in sequence order (a
        message with a part missing is left out)."""
        singles: list[str] = []
        groups: dict[int, dict[int, MtPart]] = {}
        totals: dict[int, int] = {}
        for part in self.parts_to(msisdn):
            concatenation = part.concatenation
            if concatenation is None:
                singles.append(part.text)
                continue
            ref, total, seq = concatenation
            groups.setdefault(ref, {})[seq] = part
            totals[ref] = total
        whole = [
            "".join(group[i].text for i in range(1, totals[ref] + 1))
            for ref, group in groups.items()
            if len(group) == totals[ref]
        ]
        return singles + whole

    def wait_for(self, msisdn: str, count: int, timeout: float = 20.0) -> list[str]:
        """Wait until ``count`` whole messages reached ``msisdn``; them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages_to(msisdn)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{msisdn} got {self.messages_to(msisdn)}, wanted {count} messages")
