"""The SMS channel's Kannel and Twilio-style routes on loopback, over a bot that echoes.

The channel runs in a real Sanic app on a free port with real SQLite state; requests
are signed with the ``twilio`` package's ``RequestValidator``; the Twilio-style REST
endpoint is a small server on loopback too.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from twilio.request_validator import RequestValidator

from bot.channels.sms.gateways import (
    RecordingSmsSender,
    TwilioTransport,
)
from tests.loopback.sms_bench import C1, KANNEL_SECRET, TOKEN, Bench, bench


@pytest.fixture
def twilio_bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bench]:
    yield from bench(tmp_path, monkeypatch, "twilio")


@pytest.fixture
def kannel_bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bench]:
    yield from bench(tmp_path, monkeypatch, "kannel")


def signed(url: str, fields: dict[str, str]) -> dict[str, Any]:
    signature = RequestValidator(TOKEN).compute_signature(url, fields)
    headers = {
        "X-Twilio-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return {"content": urlencode(fields), "headers": headers}


def inbound(sid: str = "SM1", body: str = "查余额") -> dict[str, str]:
    return {"MessageSid": sid, "From": C1, "To": "+10086", "Body": body, "AccountSid": "AC1"}


def test_twilio_signed_message_gets_twiml_replies(twilio_bench: Bench) -> None:
    url = f"{twilio_bench.server.url}/webhooks/sms/twilio"
    response = twilio_bench.post("/webhooks/sms/twilio", **signed(url, inbound()))
    assert response.status_code == 200 and "xml" in response.headers["content-type"]
    assert response.text.endswith(
        "<Response><Message>收到：查余额</Message><Message>second</Message></Response>"
    )


def test_twilio_retry_is_answered_again_but_acted_on_once(twilio_bench: Bench) -> None:
    url = f"{twilio_bench.server.url}/webhooks/sms/twilio"
    first = twilio_bench.post("/webhooks/sms/twilio", **signed(url, inbound("SM7")))
    again = twilio_bench.post("/webhooks/sms/twilio", **signed(url, inbound("SM7")))
    assert first.text == again.text and twilio_bench.heard == ["查余额"]


@pytest.mark.parametrize("tamper", ["body", "url", "missing"])
def test_twilio_bad_signature_is_refused(twilio_bench: Bench, tamper: str) -> None:
    url = f"{twilio_bench.server.url}/webhooks/sms/twilio"
    request = signed(url + ("x" if tamper == "url" else ""), inbound())
    if tamper == "body":
        request["content"] = urlencode(inbound(body="转人工"))
    if tamper == "missing":
        del request["headers"]["X-Twilio-Signature"]
    response = twilio_bench.post("/webhooks/sms/twilio", **request)
    assert response.status_code == 403 and twilio_bench.heard == []


async def test_twilio_outbound_and_its_status_callback(twilio_bench: Bench) -> None:
    sender = RecordingSmsSender(
        TwilioTransport(
            twilio_bench.rest_url,
            "AC1",
            TOKEN,
            sender_id="10086",
            public_url=twilio_bench.server.url,
        ),
        lambda: twilio_bench.outbox,
    )
    await sender.send(C1, "您的验证码是 123456")
    form = twilio_bench.rest.forms[-1]
    assert (form["To"], form["From"], form["Body"]) == (C1, "10086", "您的验证码是 123456")
    assert (
        twilio_bench.rest.auth[-1] == "Basic " + base64.b64encode(f"AC1:{TOKEN}".encode()).decode()
    )
    callback = form["StatusCallback"]
    message_id = callback.rpartition("id=")[2]
    assert (await twilio_bench.outbox.get(message_id)).status == "sent"  # type: ignore[union-attr]
    fields = {"MessageSid": "SM00000000000000000000000000000001", "MessageStatus": "delivered"}
    path = callback.removeprefix(twilio_bench.server.url)
    response = await _apost(twilio_bench, path, signed(callback, fields))
    assert response.status_code == 204
    message = await twilio_bench.outbox.get(message_id)
    assert message is not None and message.status == "delivered"
    assert [r.status for r in await twilio_bench.outbox.reports(message_id)] == ["delivered"]


async def _apost(b: Bench, path: str, request: dict[str, Any]) -> httpx.Response:
    async with httpx.AsyncClient(base_url=b.server.url, timeout=10) as client:
        return await client.post(path, **request)


def kannel_post(
    b: Bench, body: bytes, path: str = f"/kannel/{KANNEL_SECRET}", **headers: str
) -> httpx.Response:
    return b.post(
        f"/webhooks/sms{path}?id=abc-1",
        content=body,
        headers={"X-Kannel-From": C1, "X-Kannel-To": "10086", **headers},
    )


def test_kannel_ucs2_body_without_charset_is_decoded_by_coding(kannel_bench: Bench) -> None:
    response = kannel_post(kannel_bench, "查余额".encode("utf-16-be"), **{"X-Kannel-Coding": "2"})
    assert response.status_code == 200, response.text
    assert kannel_bench.heard == ["查余额"]
    assert response.content.decode("utf-8") == "收到：查余额\nsecond"
    assert response.headers["x-kannel-coding"] == "2"
    assert "charset=UTF-8" in response.headers["content-type"]
    assert "/webhooks/sms/kannel/k-secret/dlr?id=" in response.headers["x-kannel-dlr-url"]


@pytest.mark.parametrize(
    ("body", "content_type", "text"),
    [
        ("balance é".encode("latin-1"), "text/plain; charset=ISO-8859-1", "balance é"),
        ("balance é".encode(), 'text/plain; charset="UTF-8"', "balance é"),
        ("查余额".encode("utf-16-be"), "text/plain; charset=UTF-16BE", "查余额"),
        ("caf\xe9".encode("latin-1"), "text/plain", "café"),  # no charset, not UTF-8
    ],
)
def test_kannel_codings(kannel_bench: Bench, body: bytes, content_type: str, text: str) -> None:
    response = kannel_post(kannel_bench, body, **{"Content-Type": content_type})
    assert response.status_code == 200 and kannel_bench.heard == [text]


def test_kannel_utf16_with_a_byte_order_mark_is_read_by_its_mark(kannel_bench: Bench) -> None:
    body = "查余额".encode("utf-16")  # little-endian here, with its mark
    response = kannel_post(kannel_bench, body, **{"Content-Type": "text/plain; charset=UTF-16"})
    assert response.status_code == 200 and kannel_bench.heard == ["查余额"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/plain; charset=x-klingon"},
        {"X-Kannel-Coding": "7"},
    ],
)
def test_kannel_unknown_charset_or_coding_is_refused_and_logged(
    kannel_bench: Bench, headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = kannel_post(kannel_bench, b"hello", **headers)
    assert response.status_code == 415 and kannel_bench.heard == []
    assert "Kannel message refused (415)" in caplog.text


def test_a_long_concatenated_sms_is_answered_by_its_first_part(kannel_bench: Bench) -> None:
    long = "查余额" + "，" * 1200  # within Kannel's max-messages, over SMS_MAX_TEXT
    response = kannel_post(kannel_bench, long.encode())
    assert response.status_code == 200 and len(kannel_bench.heard[0]) == 1000
    assert kannel_bench.heard[0].startswith("查余额")


def test_kannel_retry_is_acted_on_once(kannel_bench: Bench) -> None:
    first = kannel_post(kannel_bench, b"hello")
    again = kannel_post(kannel_bench, b"hello")
    assert first.content == again.content and kannel_bench.heard == ["hello"]


def test_kannel_basic_auth_and_refusals(kannel_bench: Bench) -> None:
    good = base64.b64encode(f"kannel:{KANNEL_SECRET}".encode()).decode()
    assert (
        kannel_post(kannel_bench, b"hi", path="/kannel", Authorization=f"Basic {good}").status_code
        == 200
    )
    bad = base64.b64encode(b"kannel:nope").decode()
    assert (
        kannel_post(kannel_bench, b"hi", path="/kannel", Authorization=f"Basic {bad}").status_code
        == 403
    )
    assert kannel_post(kannel_bench, b"hi", path="/kannel").status_code == 403
    assert kannel_post(kannel_bench, b"hi", path="/kannel/wrong").status_code == 403


def test_kannel_refuses_an_address_not_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for b in bench(tmp_path, monkeypatch, "kannel", allow=("10.0.0.9",)):
        assert kannel_post(b, b"hi").status_code == 403 and b.heard == []


async def test_kannel_sendsms_reports_and_bounded_retries(kannel_bench: Bench) -> None:
    await kannel_bench.sender.send(C1, "您的验证码是 123456")
    call = kannel_bench.rest.sendsms[-1]
    assert (call["to"], call["from"], call["text"]) == (C1, "10086", "您的验证码是 123456")
    assert (call["charset"], call["coding"], call["dlr-mask"]) == ("UTF-8", "2", "31")
    report = call["dlr-url"].removeprefix("http://public")
    assert report.endswith("&type=%d&answer=%A")
    message_id = report.partition("id=")[2].partition("&")[0]

    def dlr(kind: int, answer: str) -> httpx.Response:
        path = report.replace("%d", str(kind)).replace("%A", answer)
        return httpx.get(f"{kannel_bench.server.url}{path}", timeout=10)

    assert dlr(8, "ACK").status_code == 200
    assert (await kannel_bench.outbox.get(message_id)).status == "accepted"  # type: ignore[union-attr]
    assert dlr(2, "id:1 stat:EXPIRED err:000").status_code == 200  # sent again (2 sends allowed)
    assert (
        len(kannel_bench.rest.sendsms) == 2
        and kannel_bench.rest.sendsms[-1]["text"] == call["text"]
    )
    assert dlr(2, "stat:UNDELIV").status_code == 200  # failed again: left to an agent
    message = await kannel_bench.outbox.get(message_id)
    assert message is not None and message.gave_up and message.attempts == 2
    statuses = [r.status for r in await kannel_bench.outbox.reports(message_id)]
    assert statuses == ["accepted", "expired", "failed"]
    assert [m.id for m in await kannel_bench.outbox.failures()] == [message_id]
    assert len(kannel_bench.rest.sendsms) == 2


def test_a_long_text_is_split_into_messages_kannel_can_carry() -> None:
    from bot.channels.sms.kannel import split_for_kannel

    text = "余" * (67 * 3 + 5)
    assert [len(m) for m in split_for_kannel(text, 2)] == [134, 67 + 5]
    assert split_for_kannel("short", 10) == ["short"]


def test_twiml_messages_carry_their_status_callback_as_action() -> None:
    """Twilio sends status callbacks for TwiML messages to their ``action`` (gateways2)."""
    from bot.channels.sms.twilio import status_callback, twiml

    callback = status_callback("http://public", "0" * 32)
    assert callback == f"http://public/webhooks/sms/twilio/status?id={'0' * 32}"
    answer = twiml(["您好 & hi", "second"], [callback, callback])
    assert answer.count(f'<Message action="{callback}" method="POST">') == 2
    assert "您好 &amp; hi" in answer
    assert twiml(["plain"]).endswith("<Response><Message>plain</Message></Response>")


def test_a_long_twilio_body_is_read_by_its_first_part() -> None:
    from bot.channels.sms.twilio import parse_twilio

    fields = {"MessageSid": "SM1", "From": C1, "To": "10086", "Body": "my bill " + "x" * 2000}
    sms = parse_twilio(fields, 1000)
    assert len(sms.text) == 1000 and sms.text.startswith("my bill")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"MessageSid": "sm1"}, "MessageSid"),
        ({"MessageSid": "SM1;drop"}, "MessageSid"),
        ({"To": "10086 or 10010"}, "To must be"),
        ({"From": "13800000001"}, "From must be"),
    ],
)
def test_each_twilio_field_has_its_form(fields: dict[str, str], reason: str) -> None:
    from bot.channels.sms.request import BadRequest
    from bot.channels.sms.twilio import parse_twilio

    good = {"MessageSid": "SM1", "From": C1, "To": "+10086", "Body": "hi"}
    with pytest.raises(BadRequest, match=reason):
        parse_twilio({**good, **fields}, 1000)


def test_a_message_to_another_number_is_not_ours() -> None:
    from bot.channels.sms.twilio import is_service_number

    assert is_service_number("+10086", "10086") and is_service_number("10086", "10086")
    assert not is_service_number("+10010", "10086")
