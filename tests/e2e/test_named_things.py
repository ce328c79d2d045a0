"""Plans, services and months named as customers name them, through the SMS webhook,
and sales requests answered honestly (never the complaint form)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import PlanChangeOrderRow, SubscriptionRow
from tests.e2e.conftest import DEMO, month_ago
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e
C1, C3, C5 = DEMO[0], DEMO[2], DEMO[4]


async def say(sms: SmsGatewayClient, sender: str, text: str) -> str:
    reply = await sms.send(sender, text)
    assert reply.status == 200, reply.body
    return "\n".join(reply.texts)


async def test_a_month_named_gets_that_months_bill(sms: SmsGatewayClient) -> None:
    last = month_ago(1)  # whose bill was 100.00, 62.00 above the fee
    reply = await say(sms, C3, f"我{int(last[5:])}月份的账单是多少")
    assert last in reply and "100.00元" in reply and "62.00" in reply
    assert month_ago(3) not in reply  # that month alone


async def test_a_plan_question_answers_and_starts_no_order(
    sms: SmsGatewayClient, billing_db: Engine
) -> None:
    reply = await say(sms, C1, "88的套餐多少钱一个月")
    assert "88.00元/月" in reply and "80.0GB" in reply
    assert "确认" not in reply  # no confirmation question
    with Session(billing_db) as session:
        query = select(func.count()).where(PlanChangeOrderRow.msisdn == C1)
        assert session.scalar(query) == 0


async def test_unsubscribing_by_everyday_name_confirms_that_service(
    sms: SmsGatewayClient, billing_db: Engine
) -> None:
    assert "视频彩铃" in await say(sms, C5, "把彩铃给我退了")
    assert "每月可节省5.00元" in await say(sms, C5, "1")
    with Session(billing_db) as session:
        row = session.scalar(
            select(SubscriptionRow).where(
                SubscriptionRow.msisdn == C5, SubscriptionRow.code == "VRBT"
            )
        )
        assert row is not None and row.active is False
        row.active = True  # the next test sees the demo data again
        session.commit()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("家里想装宽带怎么办", "宽带"),
        ("how do I turn on roaming before my trip", "roaming"),
        ("話費怎麼充值", "充值"),
    ],
)
async def test_a_sales_request_says_where_and_offers_a_person(
    sms: SmsGatewayClient, text: str, says: str
) -> None:
    reply = await say(sms, C1, text)
    assert says in reply
    assert "投诉哪方面" not in reply and "complaint" not in reply.lower()


# Vague account questions the classifier reads with little confidence (the first that gets
# the question is used: the test does not depend on one message's exact confidence).
VAGUE = {"流量那个": "LL", "话费那块": "YE", "账单那个东西": "ZD", "套餐那个事": "TC"}


async def test_account_data_is_not_shown_on_a_guess(sms: SmsGatewayClient) -> None:
    asked = None
    for text, code in VAGUE.items():
        reply = await say(sms, C5, text)
        if reply.startswith("您是想查询"):
            asked = (text, code, reply)
            break
    assert asked is not None, "no vague question was asked about first"
    text, code, question = asked
    assert "1. 是" in question and "2. 不是" in question
    direct = await say(sms, C5, code)  # the SMS code is answered at once
    assert not direct.startswith("您是想")
    await say(sms, C5, text)
    assert await say(sms, C5, "1") == direct  # yes: the same answer as the code
    await say(sms, C5, text)
    assert "这个我还不会" in await say(sms, C5, "2")  # no: what the bot can do
    await say(sms, C5, text)
    assert await say(sms, C5, "是的") == direct  # a typed yes counts as the button
    await say(sms, C5, text)
    assert "这个我还不会" in await say(sms, C5, "不是")
