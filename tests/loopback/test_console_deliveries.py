"""The console's SMS delivery page (``/deliveries``) on a loopback port, over a real outbox
in SQLite: what it lists, who may act, and an agent's "send again" taken by the retry pass
(``RecordingSmsSender.retry_due``, what the Rasa server's task runs) through a Twilio-style
REST endpoint on loopback (``tests/fakes/twilio_api.py``)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.channels.sms.gateways import PUSH, RecordingSmsSender, TwilioTransport
from bot.channels.sms.outbox import DELIVERED, EXPIRED, FAILED, OutboundSms, SmsOutbox
from bot.state.schema import state_engine
from tests.fakes.twilio_api import FakeTwilio
from tests.loopback.test_console_support import Kit, page_csrf, signed_in, start_kit

ACCOUNT, TOKEN = "AC1", "console-twilio-token"
C1, C2, C3 = "+8613800000001", "+8613800000002", "+8613800000003"
HOSTILE = '<script>alert("x")</script>'


@dataclass
class DeliveryKit:
    """A running console whose Deliveries page reads ``outbox``; ``sender`` sends again."""

    kit: Kit
    outbox: SmsOutbox
    sender: RecordingSmsSender
    gateway: FakeTwilio

    def client(self, language: str = "en") -> httpx.Client:
        return signed_in(self.kit, headers={"Accept-Language": language})


@pytest.fixture
def dk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DeliveryKit]:
    kit = start_kit(tmp_path, monkeypatch)
    outbox = SmsOutbox(state_engine(f"sqlite:///{tmp_path / 'sms.db'}"), retry_limit=2)
    kit.console.sms_outbox = outbox
    gateway = FakeTwilio(ACCOUNT, TOKEN)
    gateway.start()
    transport = TwilioTransport(gateway.api_url, ACCOUNT, TOKEN, sender_id="10086", public_url="")
    yield DeliveryKit(kit, outbox, RecordingSmsSender(transport, lambda: outbox), gateway)
    gateway.stop()
    kit.server.stop()


async def given_up(outbox: SmsOutbox, msisdn: str, text: str, status: str = FAILED) -> str:
    """A message that failed on each of its sends (2): left to an agent."""
    message_id = await outbox.record("twilio", msisdn, text, kind=PUSH, parts=1)
    await outbox.sent(message_id, f"SM-{message_id}")
    await outbox.report(message_id, status, "30003")  # sends remain: due again at once
    assert await outbox.claim_retry(message_id)
    await outbox.report(message_id, status, "30003")
    message = await outbox.get(message_id)
    assert message is not None and message.gave_up and message.attempts == 2
    return message_id


async def failed_once(outbox: SmsOutbox, msisdn: str, text: str) -> str:
    """A message that failed once: the assistant will send it again by itself."""
    message_id = await outbox.record("twilio", msisdn, text, kind=PUSH, parts=1)
    await outbox.report(message_id, FAILED, "30008")
    return message_id


def row_of(page: str, message_id: str) -> str:
    found = re.search(rf'<tr class="delivery" id="delivery-{message_id}".*?</tr>', page, re.S)
    assert found, f"no row for {message_id}"
    return found.group(0)


async def message(outbox: SmsOutbox, message_id: str) -> OutboundSms:
    found = await outbox.get(message_id)
    assert found is not None
    return found


async def test_the_page_and_its_action_need_a_signed_in_agent(dk: DeliveryKit) -> None:
    message_id = await given_up(dk.outbox, C1, "您的验证码是 123456")
    anonymous = dk.kit.client()
    page = anonymous.get("/deliveries")
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/deliveries"
    assert "123456" not in page.text and "8613800000001" not in page.text
    action = anonymous.post(f"/deliveries/{message_id}/retry", data={"csrf_token": "x"})
    assert action.status_code == 303 and action.headers["location"] == "/login"
    assert (await message(dk.outbox, message_id)).gave_up


async def test_failed_and_expired_messages_are_listed_with_numbers_masked(
    dk: DeliveryKit,
) -> None:
    failed = await given_up(dk.outbox, C1, "您好，我是客服小安。")
    expired = await given_up(dk.outbox, C2, "Your code is 654321", status=EXPIRED)
    retrying = await failed_once(dk.outbox, C3, "Please hold on")
    delivered = await dk.outbox.record("twilio", C1, "delivered fine", kind=PUSH, parts=1)
    await dk.outbox.report(delivered, DELIVERED, None)
    page = dk.client().get("/deliveries")
    assert page.status_code == 200
    text = page.text
    rows = re.findall(r'<tr class="delivery" id="delivery-(\w+)" data-status="(\w+)"', text)
    assert sorted(rows) == sorted([(failed, "failed"), (expired, "expired"), (retrying, "failed")])
    assert "delivered fine" not in text
    for number in (C1, C2, C3):  # only masked numbers on the page
        assert number not in text and number[1:] not in text
    assert "+86138****0001" in row_of(text, failed) and "+86138****0002" in row_of(text, expired)
    assert "您好，我是客服小安。" in row_of(text, failed) and "Expired" in row_of(text, expired)
    assert "30003" in row_of(text, failed) and ">2<" in row_of(text, failed)  # sends so far
    for gave_up in (failed, expired):
        assert f'action="/deliveries/{gave_up}/retry"' in row_of(text, gave_up)
    assert "Will be sent again" in row_of(text, retrying) and "<form" not in row_of(text, retrying)
    zh = dk.client("zh-CN").get("/deliveries").text
    assert "短信投递失败" in zh and "已过期" in zh and "再发一次" in zh


async def test_customer_text_is_shown_as_text(dk: DeliveryKit) -> None:
    message_id = await given_up(dk.outbox, C1, HOSTILE)
    row = row_of(dk.client().get("/deliveries").text, message_id)
    assert HOSTILE not in row and html.escape(HOSTILE) in row


async def test_nothing_undelivered(dk: DeliveryKit) -> None:
    assert "No undelivered SMS." in dk.client().get("/deliveries").text


async def test_send_again_needs_the_sessions_csrf_token(dk: DeliveryKit) -> None:
    message_id = await given_up(dk.outbox, C1, "您好")
    client = dk.client()
    for form in ({}, {"csrf_token": "forged-token"}):
        response = client.post(f"/deliveries/{message_id}/retry", data=form)
        assert response.status_code == 403
        assert "This form has expired." in response.text
    other = signed_in(dk.kit, "bob")  # another agent's token is not this session's
    response = client.post(
        f"/deliveries/{message_id}/retry", data={"csrf_token": page_csrf(other, "/deliveries")}
    )
    assert response.status_code == 403
    assert (await message(dk.outbox, message_id)).gave_up
    assert await dk.sender.retry_due() == 0 and dk.gateway.messages == []


async def test_an_agents_send_again_is_taken_by_the_retry_pass(dk: DeliveryKit) -> None:
    message_id = await given_up(dk.outbox, C1, "您好，我是客服小安，马上为您查看宽带。")
    client = dk.client()
    token = page_csrf(client, "/deliveries")
    response = client.post(f"/deliveries/{message_id}/retry", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/deliveries"
    page = client.get("/deliveries").text
    assert "It will be sent again shortly." in page
    assert "Will be sent again" in row_of(page, message_id)
    queued = await message(dk.outbox, message_id)
    assert not queued.gave_up and queued.retry_at is not None  # recorded: due now
    assert await dk.sender.retry_due() == 1
    [sent] = dk.gateway.messages_to(C1)
    assert (sent.body, sent.sender) == ("您好，我是客服小安，马上为您查看宽带。", "10086")
    again = await message(dk.outbox, message_id)
    assert (again.status, again.attempts, again.retry_at) == ("sent", 3, None)
    assert await dk.sender.retry_due() == 0  # taken once
    assert "No undelivered SMS." in client.get("/deliveries").text


async def test_send_again_of_what_did_not_fail_changes_nothing(dk: DeliveryKit) -> None:
    delivered = await dk.outbox.record("twilio", C1, "fine", kind=PUSH, parts=1)
    await dk.outbox.report(delivered, DELIVERED, None)
    client = dk.client()
    token = page_csrf(client, "/deliveries")
    for message_id in (delivered, "0" * 32):
        client.post(f"/deliveries/{message_id}/retry", data={"csrf_token": token})
        assert "That SMS needs no new send." in client.get("/deliveries").text
    assert (await message(dk.outbox, delivered)).status == DELIVERED
    assert await dk.outbox.due() == []


async def test_without_a_gateway_the_page_says_so(dk: DeliveryKit) -> None:
    dk.kit.console.sms_outbox = None
    client = dk.client()
    assert "No undelivered SMS." in client.get("/deliveries").text
    token = page_csrf(client, "/deliveries")  # the sign-out form's
    client.post(f"/deliveries/{'0' * 32}/retry", data={"csrf_token": token})
    assert "No SMS gateway is configured." in client.get("/deliveries").text


async def test_a_refused_one_time_code_is_nowhere_to_be_read(dk: DeliveryKit) -> None:
    """From a refused send to the page and the database: the code is masked everywhere,
    never sent again by itself nor offered to an agent (a new code is asked for)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from bot.channels.sms.outbound import SmsSendError
    from bot.state.tables import SmsOutboundRow

    code = "482913"
    dk.gateway.refuse(5)
    with pytest.raises(SmsSendError):
        await dk.sender.send(C2, f"您的验证码是{code}，10分钟内有效。", secret=code)
    page = dk.client().get("/deliveries").text
    assert code not in page and "您的验证码是******" in page
    with Session(dk.outbox._engine) as session:
        stored = [row.text for row in session.scalars(select(SmsOutboundRow))]
    assert stored == ["您的验证码是******，10分钟内有效。"]
    [failed] = await dk.outbox.failures()
    assert failed.kind == "code" and failed.gave_up
    assert "Never sent again" in row_of(page, failed.id) and "delivery-retry" not in page
    assert not await dk.outbox.send_again(failed.id)
    assert await dk.sender.retry_due() == 0 and dk.gateway.messages == []
