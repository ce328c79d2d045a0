"""Validation of the SMS gateway's webhook body."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.channels.sms_request import (
    MAX_BODY_BYTES,
    BadRequest,
    InboundSms,
    clean_text,
    parse_inbound,
)

MAX_TEXT = 1000


def body(**overrides: Any) -> bytes:
    fields: dict[str, Any] = {
        "message_id": "m-1",
        "from": "+8613800000001",
        "to": "10086",
        "text": "查余额",
    }
    fields.update(overrides)
    return json.dumps({k: v for k, v in fields.items() if v is not ...}).encode()


def rejected(raw: bytes, max_text: int = MAX_TEXT) -> BadRequest:
    with pytest.raises(BadRequest) as caught:
        parse_inbound(raw, max_text)
    return caught.value


class TestValidBody:
    def test_parses_all_fields(self) -> None:
        assert parse_inbound(body(), MAX_TEXT) == InboundSms(
            "m-1", "+8613800000001", "10086", "查余额"
        )

    def test_ids_and_text_are_trimmed(self) -> None:
        sms = parse_inbound(body(message_id=" m-2 ", to=" 10086 ", text="  hi  "), MAX_TEXT)
        assert (sms.message_id, sms.to, sms.text) == ("m-2", "10086", "hi")

    def test_text_at_the_limit_is_accepted(self) -> None:
        assert parse_inbound(body(text="a" * 10), 10).text == "a" * 10


class TestRejectedBodies:
    @pytest.mark.parametrize("raw", [b"", b"{", b"not json", b'{"a": }'])
    def test_invalid_json(self, raw: bytes) -> None:
        assert rejected(raw).status == 400

    def test_invalid_utf8(self) -> None:
        error = rejected(b'{"text": "\xff\xfe"}')
        assert error.status == 400
        assert "UTF-8" in str(error)

    @pytest.mark.parametrize("raw", [b"[]", b'"text"', b"42", b"null"])
    def test_not_an_object(self, raw: bytes) -> None:
        error = rejected(raw)
        assert (error.status, str(error)) == (400, "body must be a JSON object")

    def test_missing_fields_are_named(self) -> None:
        error = rejected(body(to=..., text=None))
        assert (error.status, str(error)) == (400, "missing fields: to, text")

    def test_wrong_types_are_named(self) -> None:
        error = rejected(body(text=5, to=["10086"]))
        assert (error.status, str(error)) == (400, "fields must be strings: to, text")

    @pytest.mark.parametrize("message_id", ["", "   ", "x" * 129])
    def test_bad_message_id(self, message_id: str) -> None:
        assert rejected(body(message_id=message_id)).status == 400

    @pytest.mark.parametrize(
        "sender", ["8613800000001", "+86 138 0000 0001", "+12345", "+1234567890123456", "abc"]
    )
    def test_bad_sender_number(self, sender: str) -> None:
        error = rejected(body(**{"from": sender}))
        assert error.status == 400
        assert str(error).startswith("from must be a number in E.164 form")

    def test_sender_with_trailing_newline_is_rejected(self) -> None:
        """``$`` also matches before a final newline: "+86...\\n" passes as a sender."""
        assert rejected(body(**{"from": "+8613800000001\n"})).status == 400

    @pytest.mark.parametrize("text", ["", "   ", "\x00\x07", "/", "//  "])
    def test_empty_text(self, text: str) -> None:
        error = rejected(body(text=text))
        assert (error.status, str(error)) == (400, "text is empty")

    def test_text_over_the_limit_is_413(self) -> None:
        error = rejected(body(text="a" * 11), max_text=10)
        assert error.status == 413

    def test_body_over_16_kib_is_413(self) -> None:
        raw = body(text="a" * MAX_BODY_BYTES)
        assert len(raw) > MAX_BODY_BYTES
        assert rejected(raw, max_text=10 * MAX_BODY_BYTES).status == 413

    def test_deeply_nested_json_is_a_bad_request(self) -> None:
        """A small but deeply nested body must be a 400, not an unhandled RecursionError."""
        raw = b"[" * 5000 + b"]" * 5000
        assert len(raw) <= MAX_BODY_BYTES
        assert rejected(raw).status == 400


class TestCleanText:
    def test_leading_slash_is_stripped(self) -> None:
        assert parse_inbound(body(text="/restart"), MAX_TEXT).text == "restart"

    @pytest.mark.parametrize("text", ["//restart", " /restart", "\x00/restart", "\t/restart"])
    def test_slash_hidden_behind_junk_is_stripped(self, text: str) -> None:
        assert clean_text(text) == "restart"

    def test_slash_after_a_spaced_slash_is_stripped(self) -> None:
        """ "/ /restart" must not reach Rasa as the intent payload "/restart"."""
        assert not clean_text("/ /restart").startswith("/")

    def test_slash_inside_the_text_is_kept(self) -> None:
        assert clean_text("P38/P58?") == "P38/P58?"

    def test_control_characters_are_removed(self) -> None:
        assert clean_text("he\x00l\x07lo\r\x1b") == "hello"

    def test_newlines_and_spaces_inside_are_kept(self) -> None:
        assert clean_text("line one\nline two") == "line one\nline two"

    def test_zero_width_and_tab_are_removed(self) -> None:
        assert clean_text("a\u200bb\tc") == "abc"
