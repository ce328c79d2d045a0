"""Hostile suite, channels: a web-chat client cannot enter another channel's conversation,
and no conversation id reaches Rasa's API as anything but one literal path segment."""

from __future__ import annotations

import httpx
import pytest

from bot.handoff.rasa_api import RasaAdminClient
from tests.e2e.conftest import DEMO, web_session
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e
C5 = DEMO[4]
FOREIGN_SENDERS = [
    C5,  # an SMS customer's conversation
    "tg-4242",  # a Telegram user's conversation (user ids are not secret)
    f"x/../{C5}",
    f"{C5}?token=x",
    "web-AAAAAAAAAAAAAAAAAAAAAA.00000000000000000000000000000000",  # a made-up session
    "web-anything",
    "客户",
]


def user_texts(events: list[dict[str, object]]) -> list[object]:
    return [e.get("text") for e in events if e.get("event") == "user"]


@pytest.mark.parametrize("sender", FOREIGN_SENDERS)
async def test_web_chat_cannot_name_another_conversation(
    stack: Stack, sms: SmsGatewayClient, sender: str
) -> None:
    await sms.send(C5, "查余额")
    rasa = RasaAdminClient(stack.rasa_url, stack.jwt_secret)
    before = await rasa.events(C5)
    url = f"{stack.rasa_url}/webhooks/rest"
    async with httpx.AsyncClient(timeout=30) as client:
        said = await client.post(f"{url}/webhook", json={"sender": sender, "message": "转人工"})
        mailbox = await client.post(f"{url}/pending", json={"sender": sender})
    assert said.status_code == 403 and "session" in said.json()["error"]
    assert mailbox.status_code == 403
    assert await rasa.events(C5) == before  # the SMS conversation is untouched
    await rasa.aclose()
    # The real customer still gets the bot (the conversation was not paused).
    reply = await sms.send(C5, "查余额")
    assert reply.status == 200 and any("余额" in text for text in reply.texts)


def test_sessions_are_issued_by_the_server_and_unguessable(stack: Stack) -> None:
    first, second = web_session(stack), web_session(stack)
    assert first != second and first.startswith("web-") and len(first) > 50
    reply = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": first, "message": "hello"},
        timeout=30,
    )
    assert reply.status_code == 200 and reply.json()
    tampered = first[:-1] + ("0" if first[-1] != "0" else "1")
    refused = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": tampered, "message": "hello"},
        timeout=30,
    )
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "prefix", ["x/../", "../", "a?b=", "a#", "%2F..%2F", "客户/../", "x/%2E%2E/"]
)
async def test_hostile_ids_reach_no_other_conversation_through_the_api(
    stack: Stack, sms: SmsGatewayClient, prefix: str
) -> None:
    await sms.send(C5, "查余额")
    rasa = RasaAdminClient(stack.rasa_url, stack.jwt_secret)
    real = await rasa.events(C5)
    assert "查余额" in user_texts(real)
    # Reading or writing under a hostile id touches only that literal id.
    assert user_texts(await rasa.events(prefix + C5)) == []
    await rasa.append(prefix + C5, [{"event": "bot", "text": "not for you"}])
    assert await rasa.events(C5) == real
    await rasa.aclose()


def test_a_web_chat_id_is_taken_from_the_body_never_the_url(stack: Stack) -> None:
    """The id is the conversation's secret: a URL would put it in every access log."""
    sender, url = web_session(stack), f"{stack.rasa_url}/webhooks/rest"
    assert httpx.get(f"{url}/pending", params={"sender": sender}, timeout=10).status_code == 405
    assert httpx.post(f"{url}/pending", params={"sender": sender}, timeout=10).status_code == 400
    assert httpx.post(f"{url}/pending", json={"sender": sender}, timeout=10).json() == []


@pytest.mark.parametrize("sender", FOREIGN_SENDERS)
def test_nobody_logs_out_a_conversation_the_server_did_not_issue(stack: Stack, sender: str) -> None:
    answer = httpx.post(f"{stack.rasa_url}/webhooks/rest/logout", json={"sender": sender})
    assert answer.status_code == 403
