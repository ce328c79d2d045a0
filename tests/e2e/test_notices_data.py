"""Data notices end to end: data used up, then a digit and a "yes" order a pack; who cannot
buy one is told how to top up; use well above the customer's own pattern is explained in
the notice, with the packs bought this cycle counted. The scheduler runs with a
controllable clock against the running stack (``tests/e2e/test_notices.py``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import CustomerRow, DataPackOrderRow
from bot.billing.packs import month_end
from bot.billing.port import CycleUsage, MonthlyUsage
from tests.e2e.conftest import DEMO
from tests.e2e.test_journeys import say
from tests.e2e.test_notices import no_notices_recorded, scheduler, wait_for  # noqa: F401
from tests.fakes import Clock, FakeBillingService, FakeSmsGateway
from tools.devstack import Stack
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

C1, C2, C3, C4, C5 = DEMO
VALID = month_end(dt.date.today()).isoformat()  # what the action server says a pack lasts


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
    C1: (
        "1",
        "是",
        [
            DATA_FULL_ZH.format(gb="40.0"),
            OFFER_ZH,
            f"确认购买1GB流量加油包吗？流量1.0GB，10.00元从话费余额扣除，有效期至{VALID}。"
            "\n1. 确认\n2. 取消",
            f"购买成功！订单号(DP\\d{{10}})：1GB流量加油包已生效，本月流量增加1.0GB，有效期至{VALID}。"
            "已从话费余额扣除10.00元，当前余额13.50元。",
        ],
        "DP1G",
        Decimal("13.50"),
    ),
    C4: (
        "2",
        "yes",
        [
            "Data alert: your plan's 150.0 GB for this month is used up (150.0 GB used); more data"
            " is charged at the overage rate. Reply QXLLTX to turn data alerts off.",
            f"Data add-ons for this month, paid from your balance and valid until {VALID}."
            " Pick one:\n1. 1 GB data add-on, 10.00 yuan\n2. 5 GB data add-on, 30.00 yuan",
            "Buy the 5 GB data add-on? 5.0 GB for 30.00 yuan from your balance,"
            f" valid until {VALID}.\n1. Confirm\n2. Cancel",
            f"Done! Order (DP\\d{{10}}): the 5 GB data add-on is active,"
            f" 5.0 GB more data this month, valid until {VALID}."
            " 30.00 yuan was taken from your balance, now 280.75 yuan.",
        ],
        "DP5G",
        Decimal("280.75"),
    ),
}


@pytest.mark.parametrize("customer", [C1, C4], ids=["zh", "en"])
async def test_data_used_up_then_a_digit_and_yes_orders_the_pack(
    stack: Stack,
    sms_gateway: FakeSmsGateway,
    sms: SmsGatewayClient,
    restored_billing: Engine,
    customer: str,
) -> None:
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
    stack: Stack,
    sms_gateway: FakeSmsGateway,
    sms: SmsGatewayClient,
    restored_billing: Engine,
    customer: str,
    first: str,
    refusal: str,
) -> None:
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
