"""HMAC-SHA256 signatures: the body alone (Telegram bridge), timestamp and body (SMS gateway)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from bot.channels.signing import (
    DEFAULT_WINDOW_SECONDS,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    check_timestamp,
    sign,
    sign_timestamped,
    signed_headers,
    verify,
    verify_timestamped,
)

SECRET = "s3cret"
BODY = b'{"text": "hi"}'


def test_sign_is_hex_hmac_sha256() -> None:
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, BODY) == expected
    assert len(sign(SECRET, BODY)) == 64


def test_valid_signature_verifies() -> None:
    assert verify(SECRET, BODY, sign(SECRET, BODY))


def test_upper_case_and_surrounding_space_are_accepted() -> None:
    assert verify(SECRET, BODY, f"  {sign(SECRET, BODY).upper()}\n")


def test_wrong_secret_or_body_fails() -> None:
    assert not verify("other", BODY, sign(SECRET, BODY))
    assert not verify(SECRET, BODY + b" ", sign(SECRET, BODY))


def test_missing_signature_fails() -> None:
    assert not verify(SECRET, BODY, None)
    assert not verify(SECRET, BODY, "")


def test_garbage_signature_fails() -> None:
    assert not verify(SECRET, BODY, "not-a-signature")


def test_non_ascii_signature_is_rejected_not_an_error() -> None:
    """The header is attacker-controlled; it must give False, not raise (a 500)."""
    assert not verify(SECRET, BODY, "ü" * 64)


class TestTimestampedSignature:
    """The SMS gateway's scheme: ``X-Sms-Signature`` = HMAC of ``b"<ts>." + body``."""

    NOW = 1_732_900_000

    def headers(self, now: float = NOW, body: bytes = BODY) -> dict[str, str]:
        return signed_headers(SECRET, body, now=now)

    def check(self, headers: dict[str, str | None], now: float = NOW, body: bytes = BODY) -> None:
        verify_timestamped(
            SECRET, body, headers.get(SIGNATURE_HEADER), headers.get(TIMESTAMP_HEADER), now=now
        )

    def test_signature_covers_timestamp_dot_body(self) -> None:
        expected = hmac.new(SECRET.encode(), b"1732900000." + BODY, hashlib.sha256).hexdigest()
        assert sign_timestamped(SECRET, 1_732_900_000, BODY) == expected
        assert self.headers() == {TIMESTAMP_HEADER: "1732900000", SIGNATURE_HEADER: expected}

    def test_fractional_now_is_truncated_to_seconds(self) -> None:
        assert self.headers(now=self.NOW + 0.99)[TIMESTAMP_HEADER] == str(self.NOW)

    def test_fresh_request_verifies(self) -> None:
        self.check(self.headers())

    @pytest.mark.parametrize("skew", [-DEFAULT_WINDOW_SECONDS, 0, DEFAULT_WINDOW_SECONDS])
    def test_window_edges_are_accepted(self, skew: int) -> None:
        self.check(self.headers(), now=self.NOW + skew)

    @pytest.mark.parametrize("skew", [-DEFAULT_WINDOW_SECONDS - 1, DEFAULT_WINDOW_SECONDS + 1])
    def test_old_or_future_timestamp_is_refused(self, skew: int) -> None:
        with pytest.raises(SignatureError, match="window"):
            self.check(self.headers(), now=self.NOW + skew)

    def test_window_is_configurable(self) -> None:
        assert check_timestamp(str(self.NOW), now=self.NOW + 30, window=30) == str(self.NOW)
        with pytest.raises(SignatureError):
            check_timestamp(str(self.NOW), now=self.NOW + 31, window=30)

    def test_moving_the_timestamp_breaks_the_signature(self) -> None:
        headers = {**self.headers(), TIMESTAMP_HEADER: str(self.NOW + 1)}
        with pytest.raises(SignatureError, match="signature"):
            self.check(headers)

    def test_body_only_signature_is_refused(self) -> None:
        headers = {TIMESTAMP_HEADER: str(self.NOW), SIGNATURE_HEADER: sign(SECRET, BODY)}
        with pytest.raises(SignatureError, match="signature"):
            self.check(headers)

    def test_other_body_or_secret_is_refused(self) -> None:
        with pytest.raises(SignatureError):
            self.check(self.headers(), body=BODY + b" ")
        with pytest.raises(SignatureError):
            verify_timestamped("other", BODY, *self._pair(), now=self.NOW)

    def _pair(self) -> tuple[str, str]:
        headers = self.headers()
        return headers[SIGNATURE_HEADER], headers[TIMESTAMP_HEADER]

    @pytest.mark.parametrize("signature", [None, "", "ü" * 64, "0" * 64])
    def test_missing_or_garbage_signature_is_refused(self, signature: str | None) -> None:
        with pytest.raises(SignatureError):
            self.check({**self.headers(), SIGNATURE_HEADER: signature})

    def test_missing_timestamp_is_refused(self) -> None:
        with pytest.raises(SignatureError, match="missing timestamp"):
            self.check({SIGNATURE_HEADER: self.headers()[SIGNATURE_HEADER]})

    @pytest.mark.parametrize(
        "timestamp",
        [
            "",
            "  ",
            "-1732900000",
            "+1732900000",
            "1732900000.0",
            "1_732_900_000",
            "0x6750ab20",
            "1e9",
            "1" * 13,
            "\u0661\u0667\u0663\u0662\u0669\u0660\u0660\u0660\u0660\u0660",  # Arabic-Indic
            "\uff11\uff17\uff13\uff12\uff19\uff10\uff10\uff10\uff10\uff10",  # fullwidth
        ],
    )
    def test_malformed_timestamp_is_refused(self, timestamp: str) -> None:
        """``int()`` reads Arabic-Indic and fullwidth digits: only ASCII digits are allowed."""
        with pytest.raises(SignatureError, match="ASCII digits"):
            check_timestamp(timestamp, now=self.NOW)

    def test_non_ascii_digits_signed_are_still_refused(self) -> None:
        timestamp = "\uff11\uff17\uff13\uff12\uff19\uff10\uff10\uff10\uff10\uff10"
        signature = sign(SECRET, timestamp.encode() + b"." + BODY)
        with pytest.raises(SignatureError):
            verify_timestamped(SECRET, BODY, signature, timestamp, now=self.NOW)
