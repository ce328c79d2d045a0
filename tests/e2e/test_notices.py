"""Notices end to end: the scheduler (with a controllable clock) triggers them in the running
Rasa, they reach the customer on their channel, a reply is understood in context, and a
Rasa restart in the middle neither loses nor doubles one."""

from __future__ import annotations

import datetime as dt
import html
import time
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.port import CycleUsage
from bot.handoff.rasa_api import RasaAdminClient
from bot.notices.preferences import NoticePreferences
from bot.notices.routes import NoticeRoutes
from bot.notices.scheduler import NoticeScheduler
from bot.notices.sender import NoticeSender
from bot.notices.settings import NoticeSettings
from bot.notices.store import NoticeStore
from bot.state.tables import NoticeRow, PhoneVerificationRow, TelegramLinkRow
from bot.storage.db import make_engine
from tests.e2e.conftest import DEMO, month_ago, web_session
from tests.e2e.test_telegram import linked_user, text_of
from tests.e2e.test_telegram import say as tg_say
from tests.fakes import NOW, Clock, FakeBillingService, FakeSmsGateway
from tests.fakes.telegram import FakeTelegram
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

C1, C2, C3, C4, C5 = DEMO


@pytest.fixture(autouse=True)
def no_notices_recorded(state_db: Engine) -> Iterator[None]:
    """Each test's notices start unsent (the state database is the session's)."""
    with state_db.begin() as connection:
        connection.execute(delete(NoticeRow).where(NoticeRow.msisdn.in_(DEMO)))
    yield


def scheduler(
    stack: Stack, clock: Clock, only: list[str], billing: FakeBillingService | None = None
) -> NoticeScheduler:
    """A scheduler for the stack's Rasa and state; billing facts for ``only`` these customers."""
    facts = billing or FakeBillingService(clock=clock)
    facts.customers = {n: c for n, c in facts.customers.items() if n in only}
    state = make_engine(stack.env["STATE_DATABASE_URL"])
    return NoticeScheduler(
        billing=facts,
        store=NoticeStore(state),
        routes=NoticeRoutes(state),
        sender=NoticeSender(RasaAdminClient(stack.rasa_url, stack.jwt_secret, timeout=60)),
        preferences=NoticePreferences(state),
        settings=NoticeSettings(retry_seconds=60),
        clock=clock,
        owner="e2e",
    )


def wait_for(check, seconds: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    return check()


async def test_sms_customer_gets_low_balance_data_and_bill_notices_once(
    stack: Stack, sms_gateway: FakeSmsGateway
) -> None:
    clock = Clock()
    billing = FakeBillingService(clock=clock)
    billing.usage[C5] = CycleUsage(Decimal("5.00"), 60, 10)  # all of Talk 18's 5 GB
    report = await scheduler(stack, clock, [C5], billing).sweep()
    assert sorted(report.sent) == sorted(
        [f"{C5}/low_balance/2026-11", f"{C5}/data_full/2026-11", f"{C5}/bill/2026-10"]
    ), report
    texts = wait_for(lambda: sms_gateway.messages_to(C5))
    assert any("【余额提醒】" in t and "2.10" in t and "5.00" in t for t in texts), texts
    assert any("【流量提醒】" in t and "5.0 GB" in t for t in texts), texts
    assert any("【账单提醒】" in t and "2026-10" in t and "23.50" in t for t in texts), texts
    # Once per cycle: a second sweep sends nothing.
    assert (await scheduler(stack, clock, [C5], billing).sweep()).sent == []


async def test_bill_notice_then_why_so_much_explains_the_bill(
    stack: Stack, sms_gateway: FakeSmsGateway, sms: SmsGatewayClient
) -> None:
    clock = Clock()
    report = await scheduler(stack, clock, [C3]).sweep()
    assert f"{C3}/bill/2026-10" in report.sent and f"{C3}/arrears/2026-11" in report.sent
    texts = wait_for(lambda: [t for t in sms_gateway.messages_to(C3) if "【账单提醒】" in t])
    assert texts and "100.00" in texts[0]
    reply = await sms.send(C3, "为什么扣这么多")
    answer = "\n".join(reply.texts)
    assert reply.status == 200 and "100.00" in answer and "38" in answer, answer


async def test_telegram_customer_gets_the_bill_notice_in_the_chat_and_asks_why(
    stack: Stack, fake_telegram: FakeTelegram, state_db: Engine
) -> None:
    user = await linked_user(fake_telegram, C2, "zh")
    chat = f"tg-{user['id']}"
    try:
        report = await scheduler(stack, Clock(), [C2]).sweep()
        assert report.sent == [f"{C2}/bill/2026-10"], report
        with Session(state_db) as session:
            row = session.get(NoticeRow, (C2, "bill", "2026-10"))
            assert row is not None and (row.conversation_id, row.channel) == (chat, "telegram")
        pushed = await fake_telegram.wait_for(
            "sendMessage",
            lambda p: str(p.get("chat_id")) == str(user["id"]) and "账单提醒" in p["text"],
            30,
        )
        assert html.unescape(pushed.params["text"]) == (
            "【账单提醒】您 2026-10 的账单已出，本期费用 88.00 元。想了解费用明细，"
            "直接回复“为什么扣这么多”或“账单”。回复 QXZDTX 关闭账单提醒。"
        )
        answer = text_of(await tg_say(fake_telegram, user, "为什么扣这么多"))
        # the stack's billing lives in today's calendar (the notice's facts were the fake's)
        assert f"{month_ago(1)} 88.00元" in answer and "月费88.00元" in answer, answer
    finally:  # the number goes back to SMS for the other tests
        with state_db.begin() as connection:
            connection.execute(
                delete(TelegramLinkRow).where(TelegramLinkRow.telegram_user_id == user["id"])
            )


async def test_web_chat_customer_gets_the_notice_in_the_mailbox(
    stack: Stack, state_db: Engine
) -> None:
    web = web_session(stack)
    with state_db.begin() as connection:
        connection.execute(
            PhoneVerificationRow.__table__.insert().values(
                conversation_id=web,
                channel="rest",
                msisdn=C1,
                code_hash="x" * 64,
                status="verified",
                attempts=1,
                created_at=dt.datetime.now(),
                expires_at=dt.datetime.now() + dt.timedelta(minutes=30),
                verified_at=dt.datetime.now(),
            )
        )
    try:
        report = await scheduler(stack, Clock(), [C1]).sweep()
        assert report.sent == [f"{C1}/bill/2026-10"]

        def pending() -> list[dict[str, str]]:
            url = f"{stack.rasa_url}/webhooks/rest/pending"
            return list(httpx.post(url, json={"sender": web}, timeout=10).json())

        messages = wait_for(pending)
        assert any("【账单提醒】" in m["text"] and "58.00" in m["text"] for m in messages), messages
    finally:  # the number goes back to SMS for the other tests
        with state_db.begin() as connection:
            connection.execute(
                delete(PhoneVerificationRow).where(PhoneVerificationRow.conversation_id == web)
            )


async def test_rasa_restarted_in_the_middle_the_notice_is_sent_once(
    stack: Stack, sms_gateway: FakeSmsGateway
) -> None:
    clock = Clock()
    stack.kill("rasa")
    try:
        failed = await scheduler(stack, clock, [C1]).sweep()
        assert failed.failed == [f"{C1}/bill/2026-10"] and not failed.sent
    finally:
        stack.revive("rasa", f"{stack.rasa_url}/webhooks/sms/")
    clock.now = NOW + dt.timedelta(minutes=2)
    sent = await scheduler(stack, clock, [C1]).sweep()
    assert sent.sent == [f"{C1}/bill/2026-10"]
    clock.now = NOW + dt.timedelta(minutes=20)
    assert (await scheduler(stack, clock, [C1]).sweep()).sent == []
    bills = wait_for(lambda: [t for t in sms_gateway.messages_to(C1) if "【账单提醒】" in t])
    time.sleep(1)
    assert len([t for t in sms_gateway.messages_to(C1) if "【账单提醒】" in t]) == len(bills) == 1
