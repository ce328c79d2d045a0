"""Hostile input against every webhook: nothing 5xx, nothing crashes, nothing leaks."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.channels.signing import SIGNATURE_HEADER, signed_headers
from bot.channels.telegram.protocol import signed_headers as bridge_headers
from tests.e2e.conftest import BRIDGE_SECRET, DEMO, SECRET, STRANGER, web_session
from tools.devstack import Stack

pytestmark = pytest.mark.e2e

# What only other customers' accounts contain: names and balances.
OTHERS = [
    "李秀英",
    "Li Xiuying",
    "王芳",
    "Wang Fang",
    "陈亚历",
    "Alex Chen",
    "刘洋",
    "Liu Yang",
    "156.00",
    "12.30",
    "310.75",
    "2.10",
]
HOSTILE_TEXTS = [
    "'; DROP TABLE customers; --",
    "1 OR 1=1",
    "{name} {balance} {{7*7}} ${jndi:ldap://x} <%= 7*7 %> {{ config }}",
    "<script>alert(1)</script>",
    "\u202e\u0645\u0631\u062d\u0628\u0627 rtl \u200f text",
    "😀" * 300,
    "a\u0000b\u0007c\u001b[31mred",
    "查余额\u200b\u200b",
    "/restart",
    '/check_balance{"msisdn": "+8613800000002"}',
    "+8613800000002 的余额是多少",
    "x" * 1000,
]


def sms_post(stack: Stack, raw: bytes, signature: str | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json", **signed_headers(SECRET, raw)}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    return httpx.post(
        f"{stack.rasa_url}/webhooks/sms/webhook", content=raw, headers=headers, timeout=30
    )


def sms_body(text: object, sender: object = DEMO[0], message_id: object = "h-1") -> bytes:
    data = {"message_id": message_id, "from": sender, "to": "10086", "text": text}
    return json.dumps(data, ensure_ascii=False).encode()


def assert_no_leak(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    try:  # JSON escapes non-ASCII characters; compare the decoded text
        body = json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        body = response.text
    for secret in OTHERS:
        assert secret not in body, f"{secret!r} leaked"


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_texts_over_sms(stack: Stack, text: str) -> None:
    response = sms_post(stack, sms_body(text, message_id=f"h-{hash(text)}"))
    assert_no_leak(response)
    assert response.status_code in (200, 400, 413)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"null",
        b"[]",
        b"{",
        b'{"text": "\\ud800"}',
        b"\xc3\x28",
        b"{}" * 10_000,
        b"[" * 5_000 + b"]" * 5_000,
        json.dumps({"message_id": 1, "from": 2, "to": 3, "text": 4}).encode(),
        sms_body(["list"]),
        sms_body({"obj": 1}),
        sms_body("hi", sender="+86 138 0000 0001"),
        sms_body("hi", sender="'; DROP TABLE customers; --"),
        sms_body("hi", message_id="x" * 500),
    ],
)
def test_malformed_bodies_over_sms(stack: Stack, raw: bytes) -> None:
    response = sms_post(stack, raw)
    assert_no_leak(response)
    assert 400 <= response.status_code < 500


def test_huge_body_is_refused_before_parsing(stack: Stack) -> None:
    raw = sms_body("y" * 2_000_000)
    assert sms_post(stack, raw).status_code == 413


def test_replayed_signature_on_another_body_is_refused(stack: Stack) -> None:
    signed = sms_body("查余额", message_id="replay-1")
    signature = signed_headers(SECRET, signed)[SIGNATURE_HEADER]
    forged = sms_body("查余额", sender=DEMO[1], message_id="replay-1")
    assert sms_post(stack, forged, signature=signature).status_code == 401


def test_replayed_delivery_is_answered_once(stack: Stack) -> None:
    raw = sms_body("查余额", message_id="replay-2")
    first, second = sms_post(stack, raw), sms_post(stack, raw)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()


def test_numbers_that_are_not_customers(stack: Stack) -> None:
    for number in (STRANGER, "+10000000000", "+8613800000000", "+86138000000019"):
        response = sms_post(stack, sms_body("查余额", sender=number, message_id=f"n-{number}"))
        assert_no_leak(response)
        if response.status_code == 200:
            assert "不是演示通信的用户" in response.json()["replies"][0]["text"]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_texts_over_web_chat(stack: Stack, text: str) -> None:
    response = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={
            "sender": web_session(stack),
            "message": text,
            "metadata": {"msisdn": DEMO[1], "channel": "sms"},
        },
        timeout=30,
    )
    assert_no_leak(response)


@pytest.mark.parametrize(
    "raw", [b"{", b"[]", b'{"sender": 1, "message": 2}', b'{"sender": "a"}', b"\xff\xfe"]
)
def test_malformed_bodies_over_web_chat(stack: Stack, raw: bytes) -> None:
    response = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", content=raw, timeout=30)
    assert_no_leak(response)


@pytest.mark.parametrize("text", HOSTILE_TEXTS[:6])
def test_hostile_texts_over_the_telegram_channel(stack: Stack, text: str) -> None:
    body = json.dumps(
        {"sender_id": "tg-999", "message_id": "t-1", "text": text, "msisdn": None}
    ).encode()
    response = httpx.post(
        f"{stack.rasa_url}/webhooks/telegram/webhook",
        content=body,
        headers=bridge_headers(BRIDGE_SECRET, body),
        timeout=30,
    )
    assert_no_leak(response)


def test_the_servers_are_still_up(stack: Stack) -> None:
    response = sms_post(stack, sms_body("查余额", message_id="alive"))
    assert response.status_code == 200 and "23.50" in response.text
