"""Hostile HTTP against the SMS webhook, spoken raw over a socket to the real server.

The route streams its body: a request is refused from its headers before its
body is read, a body is read only up to 16 KiB and within a total deadline, and
a signed request is accepted only within the timestamp window.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import httpx
import pytest

from bot.channels.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers
from bot.channels.sms.request import BODY_TIMEOUT_SECONDS, MAX_BODY_BYTES
from tests.e2e.conftest import DEMO, SECRET
from tools.devstack import Stack

pytestmark = pytest.mark.e2e
PATH = "/webhooks/sms/webhook"
QUICK = 2.0  # seconds: an answer from the headers alone comes at once


@dataclass(frozen=True)
class Answer:
    """What came back on the socket, and how long the exchange took."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float
    closed: bool  # the server closed the connection after answering

    def json(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.body)
        return data


def sms_body(message_id: str, text: str = "查余额", sender: str = DEMO[0]) -> bytes:
    data = {"message_id": message_id, "from": sender, "to": "10086", "text": text}
    return json.dumps(data, ensure_ascii=False).encode()


def head(stack: Stack, headers: dict[str, str]) -> bytes:
    lines = [f"POST {PATH} HTTP/1.1", f"Host: {stack.host}:{stack.rasa_port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def exchange(
    stack: Stack, request: bytes, drip: Iterable[bytes] = (), every: float = 0.0
) -> Answer:
    """Send ``request``, then each ``drip`` piece ``every`` seconds; read the answer.

    The drip stops as soon as the server answers.
    """
    started = time.monotonic()
    with socket.create_connection((stack.host, stack.rasa_port), timeout=30) as sock:
        sock.sendall(request)
        for piece in drip:
            if select.select([sock], [], [], every)[0]:
                break
            sock.sendall(piece)
        raw = _read_response(sock)
        seconds = time.monotonic() - started
        return _parse(raw, seconds, closed=_closed(sock))


def _read_response(sock: socket.socket) -> bytes:
    raw = b""
    while b"\r\n\r\n" not in raw or len(raw) < _expected_size(raw):
        chunk = sock.recv(65536)
        if not chunk:
            break
        raw += chunk
    return raw


def _expected_size(raw: bytes) -> int:
    header, _, _ = raw.partition(b"\r\n\r\n")
    for line in header.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(header) + 4 + int(value)
    return len(raw)


def _closed(sock: socket.socket) -> bool:
    sock.settimeout(2)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def _parse(raw: bytes, seconds: float, closed: bool) -> Answer:
    header, _, body = raw.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    return Answer(status, headers, body, seconds, closed)


def signed(body: bytes, now: float | None = None) -> dict[str, str]:
    return {"Content-Type": "application/json", **signed_headers(SECRET, body, now=now)}


def test_huge_content_length_is_refused_before_any_body(stack: Stack) -> None:
    answer = exchange(stack, head(stack, {"Content-Length": str(20 * 1024 * 1024)}))
    assert answer.status == 413
    assert answer.seconds < QUICK
    assert answer.closed


def test_huge_signed_content_length_is_refused_before_any_body(stack: Stack) -> None:
    headers = {**signed(b"{}"), "Content-Length": str(MAX_BODY_BYTES + 1)}
    answer = exchange(stack, head(stack, headers))
    assert answer.status == 413
    assert answer.seconds < QUICK


def test_expect_continue_with_a_huge_body_gets_413_not_100(stack: Stack) -> None:
    headers = {**signed(b"{}"), "Content-Length": "20000000", "Expect": "100-continue"}
    answer = exchange(stack, head(stack, headers))
    assert answer.status == 413


def test_missing_signature_is_refused_before_the_body(stack: Stack) -> None:
    """The body is announced but never sent: the answer comes from the headers."""
    headers = {"Content-Type": "application/json", "Content-Length": "200"}
    answer = exchange(stack, head(stack, headers))
    assert (answer.status, answer.seconds < QUICK, answer.closed) == (401, True, True)
    assert "signature" in str(answer.json()["error"])


@pytest.mark.parametrize("timestamp", [None, "", "yesterday", "١٧٣٢٩٠٠٠٠٠", "17329e5"])
def test_missing_or_malformed_timestamp_is_refused_before_the_body(
    stack: Stack, timestamp: str | None
) -> None:
    headers = {**signed(b"{}"), "Content-Length": "200"}
    del headers[TIMESTAMP_HEADER]
    if timestamp is not None:
        headers[TIMESTAMP_HEADER] = timestamp  # sent as UTF-8 when not ASCII
    request = head(stack, headers)
    answer = exchange(stack, request)
    assert (answer.status, answer.seconds < QUICK) == (401, True)
    assert "timestamp" in str(answer.json()["error"])


@pytest.mark.parametrize("age", [-3600, -301, 301, 3600])
def test_old_or_future_timestamp_with_a_valid_signature_is_refused(stack: Stack, age: int) -> None:
    body = sms_body(f"old-{age}")
    headers = {**signed(body, now=time.time() - age), "Content-Length": str(len(body))}
    answer = exchange(stack, head(stack, headers) + body)
    assert answer.status == 401
    assert "window" in str(answer.json()["error"])


def test_chunked_body_over_the_limit_is_cut_off(stack: Stack) -> None:
    chunk = b"x" * 4096
    chunks = b"".join(b"%x\r\n%b\r\n" % (len(chunk), chunk) for _ in range(5))  # 20 KiB
    headers = {**signed(b"{}"), "Transfer-Encoding": "chunked"}
    answer = exchange(stack, head(stack, headers) + chunks)  # and no terminating chunk
    assert answer.status == 413
    assert answer.seconds < QUICK
    assert answer.closed


def test_signed_chunked_body_is_answered(stack: Stack) -> None:
    body = sms_body("chunked-1")
    half = len(body) // 2
    pieces = [body[:half], body[half:]]
    chunked = b"".join(b"%x\r\n%b\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
    headers = {**signed(body), "Transfer-Encoding": "chunked"}
    answer = exchange(stack, head(stack, headers) + chunked)
    assert answer.status == 200, answer.body
    assert "23.50" in json.dumps(answer.json(), ensure_ascii=False)


def test_slow_drip_body_is_cut_off_by_the_deadline(stack: Stack) -> None:
    """One byte every 0.5 s keeps every idle timer happy; the total deadline is not."""
    body = sms_body("drip-1")
    headers = {**signed(body), "Content-Length": str(len(body))}
    others: list[int] = []
    probe = threading.Thread(target=lambda: others.append(_health(stack)))
    threading.Timer(2.0, probe.start).start()
    drip = [body[i : i + 1] for i in range(len(body))]
    answer = exchange(stack, head(stack, headers), drip=drip, every=0.5)
    assert answer.status == 408
    assert "in time" in str(answer.json()["error"])  # the channel's deadline, not Sanic's
    assert BODY_TIMEOUT_SECONDS - 1 < answer.seconds < BODY_TIMEOUT_SECONDS + 5
    assert answer.closed
    probe.join(timeout=10)
    assert others == [200]  # the server kept serving others meanwhile


def _health(stack: Stack) -> int:
    return httpx.get(f"{stack.rasa_url}/webhooks/sms/", timeout=5).status_code


def test_replay_of_the_same_signed_request_is_answered_once(stack: Stack) -> None:
    """Within the window a replay passes the signature; the delivery store deduplicates it."""
    body = sms_body("replay-raw-1")
    request = head(stack, {**signed(body), "Content-Length": str(len(body))}) + body
    first, second = exchange(stack, request), exchange(stack, request)
    assert first.status == second.status == 200
    assert first.json() == second.json()
    assert first.json()["replies"]


def test_signature_header_names_are_the_documented_ones() -> None:
    assert (SIGNATURE_HEADER, TIMESTAMP_HEADER) == ("X-Sms-Signature", "X-Sms-Timestamp")
