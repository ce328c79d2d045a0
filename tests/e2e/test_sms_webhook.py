"""The SMS webhook's protocol: timestamped signatures, bad input, numbered options."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from bot.channels.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
    sign_timestamped,
    signed_headers,
)
from tests.e2e.conftest import DEMO, SECRET
from tools.devstack import Stack

pytestmark = pytest.mark.e2e


def post(
    stack: Stack, body: bytes, signature: str | None = "sign", timestamp: str | None = "now"
) -> httpx.Response:
    """Post ``body`` signed now, or with the given signature/timestamp (None: header left out)."""
    headers = {"Content-Type": "application/json", **signed_headers(SECRET, body)}
    for name, value, default in (
        (SIGNATURE_HEADER, signature, "sign"),
        (TIMESTAMP_HEADER, timestamp, "now"),
    ):
        if value is None:
            del headers[name]
        elif value != default:
            headers[name] = value
    return httpx.post(
        f"{stack.rasa_url}/webhooks/sms/webhook", content=body, headers=headers, timeout=30
    )


def body(**fields: object) -> bytes:
    message = {"message_id": "m-1", "from": DEMO[0], "to": "10086", "text": "查余额", **fields}
    return json.dumps(message, ensure_ascii=False).encode()


def test_signed_request_gets_replies(stack: Stack) -> None:
    response = post(stack, body())
    assert response.status_code == 200
    assert response.json()["replies"][0]["to"] == DEMO[0]
    assert "23.50" in response.json()["replies"][0]["text"]


@pytest.mark.parametrize("signature", [None, "", "00" * 32, "not-hex"])
def test_missing_or_wrong_signature_is_refused(stack: Stack, signature: str | None) -> None:
    response = post(stack, body(), signature=signature)
    assert response.status_code == 401
    assert "signature" in response.json()["error"]


def test_signature_of_another_body_is_refused(stack: Stack) -> None:
    other = signed_headers(SECRET, body(text="转人工"))[SIGNATURE_HEADER]
    assert post(stack, body(), signature=other).status_code == 401


def test_body_only_signature_of_the_old_scheme_is_refused(stack: Stack) -> None:
    assert post(stack, body(), signature=sign(SECRET, body())).status_code == 401


@pytest.mark.parametrize("timestamp", [None, "", "soon", "-1", "1.5e9"])
def test_missing_or_malformed_timestamp_is_refused(stack: Stack, timestamp: str | None) -> None:
    response = post(stack, body(), timestamp=timestamp)
    assert response.status_code == 401
    assert "timestamp" in response.json()["error"]


def test_stale_timestamp_is_refused_even_when_signed(stack: Stack) -> None:
    stale = str(int(time.time()) - 301)
    signature = sign_timestamped(SECRET, stale, body())
    response = post(stack, body(), signature=signature, timestamp=stale)
    assert response.status_code == 401
    assert "window" in response.json()["error"]


@pytest.mark.parametrize(
    ("raw", "status", "error"),
    [
        (b"{not json", 400, "JSON"),
        (b"[1, 2]", 400, "object"),
        (json.dumps({"from": DEMO[0], "text": "hi"}).encode(), 400, "missing"),
        (body(text=""), 400, "empty"),
        (body(text="   "), 400, "empty"),
        (body(text=123), 400, "strings"),
        (body(**{"from": "13800000001"}), 400, "E.164"),
        (
            body(**{"from": "+\u0668\u0666\u0661\u0663\u0668\u0660\u0660\u0660\u0660\u0660"}),
            400,
            "E.164",
        ),
        (body(**{"from": "+８６１３８００００００００１"}), 400, "E.164"),
        (body(to="1" * 21), 400, "short code"),
        (body(message_id="短信-1"), 400, "ASCII"),
        (body(message_id="m" * 129), 400, "ASCII"),
        (body(text="长" * 1001), 413, "longer"),
        (b"\xff\xfe{}", 400, "UTF-8"),
    ],
)
def test_bad_input_gets_a_clear_4xx(stack: Stack, raw: bytes, status: int, error: str) -> None:
    response = post(stack, raw)
    assert response.status_code == status
    assert error in response.json()["error"]


def test_server_keeps_working_after_bad_input(stack: Stack) -> None:
    post(stack, b"{not json")
    assert post(stack, body(message_id="m-2")).status_code == 200


def test_text_cannot_inject_a_restart_to_escape_a_handoff(stack: Stack) -> None:
    assert post(stack, body(message_id="h-1", text="转人工")).json()["replies"]
    # "/restart" typed by the customer is plain text, so the bot stays paused.
    assert post(stack, body(message_id="h-2", text="/restart")).json()["replies"] == []
    assert post(stack, body(message_id="h-3", text="查余额")).json()["replies"] == []
