"""Reading and validation of the SMS gateway's webhook body."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.channels.sms.request import (
    MAX_BODY_BYTES,
    BadRequest,
    InboundSms,
    clean_text,
    content_length,
    parse_inbound,
    read_body,
)
from tests.fakes import FakeStream

ARABIC_INDIC = "\u0668\u0666\u0661\u0663\u0668\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0661"
FULLWIDTH = "\uff18\uff16\uff11\uff13\uff18\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff11"

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

    @pytest.mark.parametrize(
        "message_id", ["", "   ", "x" * 129, "短信-1", "m\x00-1", "m\n1", "m-\u200b1", "m-\x7f"]
    )
    def test_bad_message_id(self, message_id: str) -> None:
        error = rejected(body(message_id=message_id))
        assert (error.status, str(error)) == (
            400,
            "message_id must be 1 to 128 printable ASCII characters",
        )

    def test_message_id_of_128_printable_ascii_is_accepted(self) -> None:
        message_id = "".join(chr(c) for c in range(0x21, 0x7F)) + "x" * 34
        assert len(message_id) == 128
        assert parse_inbound(body(message_id=message_id), MAX_TEXT).message_id == message_id

    @pytest.mark.parametrize(
        "sender",
        [
            "8613800000001",
            "+86 138 0000 0001",
            "+12345",
            "+1234567890123456",
            "abc",
            "+" + ARABIC_INDIC,
            "+" + FULLWIDTH,
            "+86138000000\u0661",
        ],
    )
    def test_bad_sender_number(self, sender: str) -> None:
        error = rejected(body(**{"from": sender}))
        assert error.status == 400
        assert str(error).startswith("from must be a number in E.164 form")

    def test_sender_with_trailing_newline_is_rejected(self) -> None:
        """``$`` also matches before a final newline: "+86...\\n" passes as a sender."""
        assert rejected(body(**{"from": "+8613800000001\n"})).status == 400

    @pytest.mark.parametrize(
        "to",
        [
            "",
            "  ",
            "1" * 21,
            "+" + "1" * 20,
            "100 86",
            "10086a",
            "++10086",
            "1008" + "\u0666",
            FULLWIDTH,
            "x" * 5000,
        ],
    )
    def test_bad_service_number(self, to: str) -> None:
        error = rejected(body(to=to))
        assert (error.status, str(error)) == (
            400,
            "to must be a number or short code of at most 20 ASCII digits",
        )

    @pytest.mark.parametrize("to", ["1", "10086", "1" * 20, "+" + "1" * 19, "+8613800000001"])
    def test_good_service_number(self, to: str) -> None:
        assert parse_inbound(body(to=to), MAX_TEXT).to == to

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


class TestContentLength:
    @pytest.mark.parametrize(("header", "size"), [(None, None), ("0", 0), ("16384", 16384)])
    def test_within_the_limit(self, header: str | None, size: int | None) -> None:
        assert content_length(header) == size

    @pytest.mark.parametrize("header", ["16385", "20000000", "9" * 20])
    def test_over_the_limit_is_413(self, header: str) -> None:
        with pytest.raises(BadRequest) as caught:
            content_length(header)
        assert caught.value.status == 413

    @pytest.mark.parametrize("header", ["", "-1", "1e3", "12 34", "\u0661\u0662", "9" * 21])
    def test_malformed_is_400(self, header: str) -> None:
        with pytest.raises(BadRequest) as caught:
            content_length(header)
        assert caught.value.status == 400


class TestReadBody:
    async def test_reads_all_chunks(self) -> None:
        assert await read_body(FakeStream([b'{"a"', b": 1}"])) == b'{"a": 1}'

    async def test_empty_body(self) -> None:
        assert await read_body(FakeStream([])) == b""

    async def test_body_at_the_limit_is_read(self) -> None:
        assert len(await read_body(FakeStream([b"x" * 10, b"y" * 6]), limit=16)) == 16

    async def test_stops_reading_once_past_the_limit(self) -> None:
        stream = FakeStream([b"x" * 10, b"y" * 7, b"z" * 1000, b"never"])
        with pytest.raises(BadRequest) as caught:
            await read_body(stream, limit=16)
        assert (caught.value.status, stream.reads) == (413, 2)

    async def test_slow_body_is_cut_off_by_the_total_deadline(self) -> None:
        """Each chunk comes quickly, but together they take longer than the deadline."""
        stream = FakeStream([b"x"] * 100, delay=0.02)
        with pytest.raises(BadRequest) as caught:
            await read_body(stream, timeout=0.2)
        assert caught.value.status == 408
        assert stream.reads < 100


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
