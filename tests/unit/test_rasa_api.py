"""The console's Rasa API client: ids encoded whole, deliveries on the case's channel."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.handoff.rasa_api import RasaAdminClient, RasaApiError

HOSTILE_IDS = [
    "x/../+8613900000001",
    "../../conversations/+8613800000005",
    "a?token=stolen&output_channel=latest",
    "a#fragment",
    "100%2F..%2F+86",
    "客户/../张三",
    "web-abc.def",
]


class Recorder:
    """A transport that records raw request targets and answers like Rasa."""

    def __init__(self) -> None:
        self.targets: list[bytes] = []
        self.params: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.targets.append(request.url.raw_path)
        self.params.append(dict(request.url.params))
        return httpx.Response(200, json={"events": []})


@pytest.mark.parametrize("conversation_id", HOSTILE_IDS)
async def test_every_id_stays_one_path_segment(conversation_id: str) -> None:
    recorder = Recorder()
    client = RasaAdminClient("http://rasa", "t0ken", transport=httpx.MockTransport(recorder))
    await client.events(conversation_id)
    await client.append(conversation_id, [{"event": "bot", "text": "hi"}], channel="sms")
    await client.aclose()
    for target, rest in zip(recorder.targets, (b"/tracker", b"/tracker/events"), strict=True):
        path, _, _query = target.partition(b"?")
        assert path.startswith(b"/conversations/") and path.endswith(rest)
        segment = path.removeprefix(b"/conversations/").removesuffix(rest)
        assert b"/" not in segment and b"?" not in segment and b"#" not in segment
        assert segment.isascii() and segment not in (b".", b"..")
        assert httpx.URL("http://x/" + segment.decode()).path[1:] == conversation_id
    # The query is the client's own: the id cannot add or override a parameter.
    assert recorder.params[0] == {"include_events": "ALL"}
    assert recorder.params[1] == {"output_channel": "sms", "execute_side_effects": "true"}


@pytest.mark.parametrize("conversation_id", ["+8613800000001", "tg-4242", "web-Ab_-x.0f"])
async def test_the_channels_own_ids_are_sent_as_they_are(conversation_id: str) -> None:
    """Rasa takes path parameters undecoded: these must not be encoded at all."""
    recorder = Recorder()
    client = RasaAdminClient("http://rasa", "t0ken", transport=httpx.MockTransport(recorder))
    await client.events(conversation_id)
    assert recorder.targets[0].startswith(f"/conversations/{conversation_id}/tracker?".encode())


@pytest.mark.parametrize("conversation_id", ["", ".", ".."])
async def test_dot_segments_are_refused(conversation_id: str) -> None:
    recorder = Recorder()
    client = RasaAdminClient("http://rasa", "t0ken", transport=httpx.MockTransport(recorder))
    with pytest.raises(RasaApiError):
        await client.events(conversation_id)
    assert recorder.targets == []


async def test_without_a_channel_nothing_is_delivered_and_one_client_is_kept() -> None:
    recorder = Recorder()
    client = RasaAdminClient("http://rasa", "t0ken", transport=httpx.MockTransport(recorder))
    await client.append("+8613800000001", [{"event": "resume"}])
    first = client._http()
    await client.events("+8613800000001")
    assert client._http() is first
    await client.aclose()
    assert "output_channel" not in recorder.params[0]
    assert json.dumps(recorder.params)  # plain strings
