"""The SMS robot's classic command codes, answered without NLU guessing."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import SubscriptionRow
from tests.e2e.conftest import DEMO, month_ago
from tests.e2e.test_journeys import say
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

C1, C2, C3, C4, C5 = DEMO


@pytest.mark.parametrize("code", ["YE", "cxye", "  Ye  ", "ＹＥ"])
async def test_balance_codes(sms: SmsGatewayClient, code: str) -> None:
    # Codes keep the profile language: customer 1 writes Chinese.
    assert "余额为23.50元" in await say(sms, C1, code)


@pytest.mark.parametrize("code", ["LL", "CXLL"])
async def test_usage_codes(sms: SmsGatewayClient, code: str) -> None:
    assert "流量已用23.5GB/20.0GB（118%）" in await say(sms, C3, code)


@pytest.mark.parametrize("code", ["TC", "cxtc"])
async def test_plan_codes(sms: SmsGatewayClient, code: str) -> None:
    reply = await say(sms, C4, code)
    assert "Premier 128 at 128.00 yuan a month: 150.0 GB data, 2000 min" in reply


@pytest.mark.parametrize("code", ["ZD", "CXZD"])
async def test_bill_codes(sms: SmsGatewayClient, code: str) -> None:
    assert f"{month_ago(1)} 23.50元" in await say(sms, C5, code)


async def test_help_codes(sms: SmsGatewayClient) -> None:
    for code in ("HELP", "?", "帮助"):
        assert "YE" in await say(sms, C2, code) and "TD" in await say(sms, C2, code)


@pytest.mark.parametrize("code", ["RG", "zrg", "人工"])
async def test_human_codes(sms: SmsGatewayClient, code: str) -> None:
    assert "人工" in await say(sms, C2, code)
    assert (await sms.send(C2, "在吗")).texts == []


async def test_a_code_inside_a_sentence_is_ordinary_text(sms: SmsGatewayClient) -> None:
    reply = await say(sms, C1, "YE我知道，我想查流量还剩多少")
    assert "流量已用" in reply and "余额为" not in reply
    # Asking what a code means is not sending the code: never the balance itself.
    assert "余额为" not in await say(sms, C1, "YE是什么意思")


async def test_list_and_unsubscribe_with_confirmation(
    sms: SmsGatewayClient, billing_db: Engine
) -> None:
    listed = await say(sms, C5, "0000")
    assert "视频彩铃（VRBT）5.00元/月" in listed and "手机报（NEWS）3.00元/月" in listed
    assert "合计每月8.00元" in listed
    assert "确认退订视频彩铃（5.00元/月）" in await say(sms, C5, "td vrbt")
    assert "每月可节省5.00元" in await say(sms, C5, "1")
    with Session(billing_db) as session:
        rows = session.scalars(select(SubscriptionRow).where(SubscriptionRow.msisdn == C5))
        active = {row.code: row.active for row in rows}
    assert active == {"VRBT": False, "NEWS": True}
    declined = await say(sms, C5, "TD NEWS")
    assert "手机报" in declined
    assert "保持不变" in await say(sms, C5, "2")
    assert "手机报（NEWS）" in await say(sms, C5, "0000")


async def test_unknown_service_code_lists_the_choices(sms: SmsGatewayClient) -> None:
    assert "NEWS" in await say(sms, C5, "TD ABC")


async def test_no_subscriptions(sms: SmsGatewayClient) -> None:
    assert "没有开通任何增值业务" in await say(sms, C1, "0000")
