"""Notices end to end: the scheduler (with a controllable clock) triggers them in the running
Rasa, they reach the customer on their channel, a reply is understood in context, and a
Rasa restart in the middle neither loses nor doubles one."""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import CustomerRow, DataPackOrderRow
from bot.billing.packs import month_end
from bot.billing.port import CycleUsage, MonthlyUsage
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
from tests.e2e.test_journeys import say
from tests.e2e.test_telegram import linked_user, text_of
from tests.e2e.test_telegram import say as tg_say
from tests.fakes import NOW, Clock, FakeBillingService, FakeSmsGateway
from tests.fakes.telegram import FakeTelegram
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

C1, C2, C3, C4, C5 = DEMO
VALID = month_end(dt.date.today()).isoformat()  # what the action server says a pack lasts


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


@pytest.fixture
def restored_billing(billing_db: Engine) -> Iterator[Engine]:
    """Pack orders change balances: the demo figures come back after the test."""
    with Session(billing_db) as session:
        balances = dict(session.execute(select(CustomerRow.msisdn, CustomerRow.balance)).all())
    yield billing_db
    with Session(billing_db) as session:
        session.execute(delete(DataPackOrderRow).where(DataPackOrderRow.msisdn.in_(DEMO)))
        for msisdn, balance in balances.items():
            change = update(CustomerRow).where(CustomerRow.msisdn == msisdn)
            session.execute(change.values(balance=balance))
        session.commit()


def data_used_up(clock: Clock, msisdn: str) -> FakeBillingService:
    """Billing facts where ``msisdn`` has used all of the plan's data and has no new bill."""
    billing = FakeBillingService(clock=clock)
    plan = next(p for p in billing.plans if p.code == billing.customers[msisdn].plan_code)
    billing.usage[msisdn] = CycleUsage(plan.data_gb, 60, 10)
    billing.history[msisdn] = []
    return billing


def received(gateway: FakeSmsGateway, msisdn: str, since: int, count: int) -> list[str]:
    """The ``count`` SMS the gateway got for ``msisdn`` after the first ``since`` (waits)."""
    wait_for(lambda: len(gateway.messages_to(msisdn)) >= since + count)
    return gateway.messages_to(msisdn)[since:]


def pack_orders(billing_db: Engine, msisdn: str) -> list[tuple[str, str]]:
    """(order number, pack code) of each data pack ``msisdn`` ordered."""
    with Session(billing_db) as session:
        query = select(DataPackOrderRow).where(DataPackOrderRow.msisdn == msisdn)
        return [(o.order_id, o.code) for o in session.scalars(query)]


DATA_FULL_ZH = "【流量提醒】本月套餐流量 {gb} GB 已用完（已用 {gb} GB），超出部分按套餐外资费计费。回复 QXLLTX 关闭流量提醒。"  # noqa: E501
OFFER_ZH = f"本月可加购以下流量包，费用从话费余额中扣除，有效期至{VALID}。请选择：\n1. 1GB流量加油包 10.00元\n2. 5GB流量加油包 30.00元"  # noqa: E501
PACKS = {  # customer: (the pack's digit, "yes", the texts, then the order and the balance after)
    C1: ("1", "是", [
        DATA_FULL_ZH.format(gb="40.0"),
        OFFER_ZH,
        f"确认购买1GB流量加油包吗？流量1.0GB，10.00元从话费余额扣除，有效期至{VALID}。"
        "\n1. 确认\n2. 取消",
        f"购买成功！订单号(DP\\d{{10}})：1GB流量加油包已生效，本月流量增加1.0GB，有效期至{VALID}。"
        "已从话费余额扣除10.00元，当前余额13.50元。",
    ], "DP1G", Decimal("13.50")),
    C4: ("2", "yes", [
        "Data alert: your plan's 150.0 GB for this month is used up (150.0 GB used); more data"
        " is charged at the overage rate. Reply QXLLTX to turn data alerts off.",
        f"Data add-ons for this month, paid from your balance and valid until {VALID}. Pick one:"
        "\n1. 1 GB data add-on, 10.00 yuan\n2. 5 GB data add-on, 30.00 yuan",
        f"Buy the 5 GB data add-on? 5.0 GB for 30.00 yuan from your balance, valid until {VALID}."
        "\n1. Confirm\n2. Cancel",
        f"Done! Order (DP\\d{{10}}): the 5 GB data add-on is active, 5.0 GB more data this month, "
        f"valid until {VALID}. 30.00 yuan was taken from your balance, now 280.75 yuan.",
    ], "DP5G", Decimal("280.75")),
}  # fmt: skip


@pytest.mark.parametrize("customer", [C1, C4], ids=["zh", "en"])
async def test_data_used_up_then_a_digit_and_yes_orders_the_pack(
    stack: Stack, sms_gateway: FakeSmsGateway, sms: SmsGatewayClient,
    restored_billing: Engine, customer: str,
) -> None:  # fmt: skip
    digit, yes, (notice, offer, question, done), code, balance = PACKS[customer]
    clock = Clock()
    since = len(sms_gateway.messages_to(customer))
    report = await scheduler(stack, clock, [customer], data_used_up(clock, customer)).sweep()
    assert report.sent == [f"{customer}/data_full/2026-11"], report
    assert received(sms_gateway, customer, since, 2) == [notice, offer]
    assert await say(sms, customer, digit) == question
    ordered = re.fullmatch(done, await say(sms, customer, yes))
    assert ordered, done
    assert pack_orders(restored_billing, customer) == [(ordered.group(1), code)]
    with Session(restored_billing) as session:
        assert session.get(CustomerRow, customer).balance == balance  # type: ignore[union-attr]


TOP_UP_ZH = (
    "您现在的话费余额不足以购买流量包。充值后可加购：可使用中国移动App、微信或支付宝充值，"
    "也可到营业厅缴费，到账后发送LLB即可购买流量包。"
)


@pytest.mark.parametrize(
    ("customer", "first", "refusal"),
    [
        (C3, "【欠费提醒】", "您的账户已欠费12.30元，欠费期间无法购买流量包。请先充值"),
        (C5, "【余额提醒】", "您的话费余额2.10元，不足以支付10.00元的流量包。请先充值"),
    ],
)
async def test_data_used_up_who_cannot_buy_is_told_to_top_up_and_llb_is_refused(
    stack: Stack, sms_gateway: FakeSmsGateway, sms: SmsGatewayClient,
    restored_billing: Engine, customer: str, first: str, refusal: str,
) -> None:  # fmt: skip
    clock = Clock()
    since = len(sms_gateway.messages_to(customer))
    report = await scheduler(stack, clock, [customer], data_used_up(clock, customer)).sweep()
    assert report.sent[-1] == f"{customer}/data_full/2026-11" and len(report.sent) == 2, report
    balance, data_full, top_up = received(sms_gateway, customer, since, 3)
    assert balance.startswith(first) and data_full.startswith("【流量提醒】")
    assert top_up == TOP_UP_ZH  # no pack list to a customer who cannot buy one
    reply = await say(sms, customer, "LLB")
    assert reply.startswith(refusal) and "确认购买" not in reply, reply
    assert pack_orders(restored_billing, customer) == []


async def test_unusual_use_is_explained_in_the_data_notice_with_the_packs_counted(
    stack: Stack, sms_gateway: FakeSmsGateway
) -> None:
    clock = Clock(dt.datetime(2026, 11, 12, 10, 0))  # 40 % of November has passed
    billing = FakeBillingService(clock=clock)
    billing.history[C1] = [
        MonthlyUsage(f"2026-{m:02d}", Decimal("20.0"), 100, 10, Decimal("58.00"))
        for m in range(4, 10)
    ]  # 20 GB a month: 8 GB by the 12th is usual (and no bill is news: a later test counts them)
    await billing.order_data_pack(C1, "DP1G")
    await billing.order_data_pack(C1, "DP1G")
    billing.usage[C1] = CycleUsage(Decimal("35.0"), 100, 10)  # 83 % of 42 GB, 4.3 times
    since = len(sms_gateway.messages_to(C1))
    report = await scheduler(stack, clock, [C1], billing).sweep()
    assert sorted(report.sent) == [f"{C1}/data_warn/2026-11", f"{C1}/low_balance/2026-11"]
    [notice] = [t for t in received(sms_gateway, C1, since, 2) if t.startswith("【流量提醒】")]
    assert notice.startswith(
        "【流量提醒】本月您已使用流量 35.0 GB，达到套餐流量 42.0 GB（含本月已购流量包2个，"
        "共 2.0 GB） 的 83%。到目前为止的用量约为您平时同期用量（近6个月平均）的 4.3 倍。"
    ), notice
    assert "后台数据" in notice and "自动播放" in notice and "仅Wi-Fi" in notice, notice
    assert notice.endswith("回复“流量”查询详情，回复 QXLLTX 关闭流量提醒。"), notice


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
                conversation_id=web, channel="rest", msisdn=C1, code_hash="x" * 64,
                status="verified", attempts=1, created_at=dt.datetime.now(),
                expires_at=dt.datetime.now() + dt.timedelta(minutes=30),
                verified_at=dt.datetime.now(),
            )
        )  # fmt: skip
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
