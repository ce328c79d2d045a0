"""The SMS channel: the secrets it needs, its limits, and a streaming webhook route."""

from __future__ import annotations

import time
from typing import Any

import pytest
from rasa.core.channels.channel import InputChannel

from bot import services as bundle
from bot.bootstrap import RASA_SERVER, bootstrap
from bot.channels.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, SignatureError, signed_headers
from bot.channels.sms.deliveries import DeliveryStore
from bot.channels.sms.input import SmsInput
from bot.channels.sms.outbound import UnconfiguredSmsSender
from bot.channels.sms.request import MAX_BODY_BYTES, BadRequest
from tests.fakes import FakeRequest, FakeStream


def from_credentials(credentials: dict[str, Any] | None) -> InputChannel:
    """The channel as Rasa makes it from credentials.yml, after the Rasa server's start-up
    built its bundle from the environment the test set (``bot.rasa_ext.server``)."""
    bundle.install(bootstrap(RASA_SERVER))
    return SmsInput.from_credentials(credentials)


def test_refuses_to_start_without_a_gateway_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMS_GATEWAY_SECRET", raising=False)
    monkeypatch.delenv("SMS_GATEWAY_ALLOW_UNSIGNED", raising=False)
    with pytest.raises(ValueError, match="SMS_GATEWAY_SECRET"):
        from_credentials(None)


def test_development_flag_allows_unsigned_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMS_GATEWAY_SECRET", raising=False)
    monkeypatch.setenv("SMS_GATEWAY_ALLOW_UNSIGNED", "1")
    channel = from_credentials(None)
    assert isinstance(channel, SmsInput) and channel.secret is None


def test_refuses_to_start_without_an_identity_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMS_GATEWAY_SECRET", "s3cret")
    monkeypatch.delenv("IDENTITY_SECRET", raising=False)
    with pytest.raises(ValueError, match="IDENTITY_SECRET"):
        from_credentials(None)


def test_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMS_GATEWAY_SECRET", "s3cret")
    channel = from_credentials(None)
    assert isinstance(channel, SmsInput) and channel.secret == "s3cret"
    assert SmsInput.name() == "sms"


def test_timestamp_window_and_body_deadline_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMS_GATEWAY_SECRET", "s3cret")
    channel = from_credentials(None)
    assert isinstance(channel, SmsInput)
    assert (channel.window, channel.body_timeout) == (300, 10.0)


def test_timestamp_window_and_body_deadline_from_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMS_GATEWAY_SECRET", "s3cret")
    credentials = {"timestamp_window_seconds": 60, "body_timeout_seconds": 2.5}
    channel = from_credentials(credentials)
    assert isinstance(channel, SmsInput)
    assert (channel.window, channel.body_timeout) == (60, 2.5)


@pytest.mark.parametrize(
    "credentials", [{"timestamp_window_seconds": 0}, {"body_timeout_seconds": -1}]
)
def test_non_positive_limits_are_refused(
    monkeypatch: pytest.MonkeyPatch, credentials: dict[str, float]
) -> None:
    monkeypatch.setenv("SMS_GATEWAY_SECRET", "s3cret")
    with pytest.raises(ValueError, match="positive"):
        from_credentials(credentials)


def test_webhook_route_streams_its_body(monkeypatch: pytest.MonkeyPatch) -> None:
    """A streaming route lets the channel refuse a request before Sanic reads its body."""
    monkeypatch.setenv("SMS_GATEWAY_SECRET", "s3cret")
    channel = from_credentials(None)

    async def on_new_message(_: object) -> None:
        return None

    routes = {route.uri: route for route in channel.blueprint(on_new_message)._future_routes}
    assert routes["/webhook"].stream is True
    assert routes["/"].stream is False


def request(body: bytes, headers: dict[str, str]) -> FakeRequest:
    """Header names as the channel asks for them (Sanic's own headers ignore case)."""
    return FakeRequest(headers, FakeStream([body]))


BODY = b'{"message_id": "m-1"}'


def no_store() -> DeliveryStore:
    raise AssertionError("reading the body needs no delivery store")


def channel(secret: str | None = "s3cret") -> SmsInput:
    return SmsInput(
        secret,
        "identity",
        deliveries=no_store,
        sender=UnconfiguredSmsSender(),
        window=300,
        body_timeout=1.0,
    )


async def test_signed_body_is_read_and_verified() -> None:
    fake = request(BODY, signed_headers("s3cret", BODY))
    assert await channel()._signed_body(fake) == BODY


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({}, "signature"),
        ({SIGNATURE_HEADER: "0" * 64}, "missing timestamp"),
        ({**signed_headers("s3cret", BODY, now=time.time() - 301)}, "window"),
        ({**signed_headers("s3cret", BODY), TIMESTAMP_HEADER: "\uff11" * 10}, "ASCII"),
    ],
)
async def test_refused_from_the_headers_without_reading(
    headers: dict[str, str], error: str
) -> None:
    fake = request(BODY, headers)
    with pytest.raises(SignatureError, match=error):
        await channel()._signed_body(fake)
    assert fake.stream.reads == 0


async def test_declared_size_over_the_limit_is_413_without_reading() -> None:
    fake = request(BODY, {"content-length": str(MAX_BODY_BYTES + 1)})
    with pytest.raises(BadRequest) as caught:
        await channel(None)._signed_body(fake)
    assert (caught.value.status, fake.stream.reads) == (413, 0)


async def test_wrong_signature_is_found_after_reading() -> None:
    headers = {**signed_headers("s3cret", BODY), SIGNATURE_HEADER: "0" * 64}
    with pytest.raises(SignatureError, match="signature"):
        await channel()._signed_body(request(BODY, headers))


async def test_unsigned_development_mode_checks_no_signature() -> None:
    assert await channel(None)._signed_body(request(BODY, {})) == BODY
