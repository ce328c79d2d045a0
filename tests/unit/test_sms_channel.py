"""The SMS channel refuses to start without the secrets it needs."""

from __future__ import annotations

import pytest

from bot.channels.sms import SmsInput


def test_refuses_to_start_without_a_gateway_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMS_GATEWAY_SECRET", raising=False)
    monkeypatch.delenv("SMS_GATEWAY_ALLOW_UNSIGNED", raising=False)
    with pytest.raises(ValueError, match="SMS_GATEWAY_SECRET"):
        SmsInput.from_credentials(None)


def test_development_flag_allows_unsigned_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMS_GATEWAY_SECRET", raising=False)
    monkeypatch.setenv("SMS_GATEWAY_ALLOW_UNSIGNED", "1")
    channel = SmsInput.from_credentials(None)
    assert isinstance(channel, SmsInput) and channel.secret is None


def test_refuses_to_start_without_an_identity_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMS_GATEWAY_SECRET", "s3cret")
    monkeypatch.delenv("IDENTITY_SECRET", raising=False)
    with pytest.raises(ValueError, match="IDENTITY_SECRET"):
        SmsInput.from_credentials(None)


def test_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMS_GATEWAY_SECRET", "s3cret")
    channel = SmsInput.from_credentials(None)
    assert isinstance(channel, SmsInput) and channel.secret == "s3cret"
    assert SmsInput.name() == "sms"
