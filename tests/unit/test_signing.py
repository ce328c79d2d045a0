"""HMAC-SHA256 signatures of the SMS gateway's webhook bodies."""

from __future__ import annotations

import hashlib
import hmac

from bot.channels.signing import sign, verify

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
