"""Data packs over signed SMS: LLB or words, a digit picks a pack, "1" confirms, the order
number and exact figures come back; arrears and a short balance are refused."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import CustomerRow, DataPackOrderRow
from bot.billing.packs import month_end
from tests.e2e.conftest import DEMO
from tests.e2e.test_journeys import say
from tools.sms_client import SmsGatewayClient

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("untouched_billing")]

C1, C2, C3, C4, C5 = DEMO
VALID = month_end(dt.date.today()).isoformat()


def balance_of(billing_db: Engine, msisdn: str) -> Decimal:
    with Session(billing_db) as session:
        return Decimal(
            session.scalars(select(CustomerRow.balance).where(CustomerRow.msisdn == msisdn)).one()
        )


async def test_chinese_list_digit_confirm_order(sms: SmsGatewayClient, billing_db: Engine) -> None:
    listed = await say(sms, C1, "流量不够用了，想买个流量包")
    assert f"有效期至{VALID}" in listed
    assert "1. 1GB流量加油包 10.00元" in listed and "2. 5GB流量加油包 30.00元" in listed
    asked = await say(sms, C1, "1")
    assert f"确认购买1GB流量加油包吗？流量1.0GB，10.00元从话费余额扣除，有效期至{VALID}" in asked
    assert "1. 确认" in asked and "2. 取消" in asked
    done = await say(sms, C1, "1")
    order_id = re.search(r"订单号(DP\d{10})", done)
    assert order_id, done
    assert f"本月流量增加1.0GB，有效期至{VALID}" in done
    assert "已从话费余额扣除10.00元，当前余额13.50元" in done
    assert balance_of(billing_db, C1) == Decimal("13.50")
    with Session(billing_db) as session:
        orders = session.scalars(select(DataPackOrderRow).where(DataPackOrderRow.msisdn == C1))
        assert [(o.order_id, o.code) for o in orders] == [(order_id.group(1), "DP1G")]
    usage = await say(sms, C1, "LL")
    assert "流量已用31.2GB/41.0GB" in usage and f"含加油包1.0GB，有效期至{VALID}" in usage


async def test_english_code_digit_confirm_order(sms: SmsGatewayClient, billing_db: Engine) -> None:
    listed = await say(sms, C4, "I need more data")
    assert f"valid until {VALID}" in listed
    assert (
        "1. 1 GB data add-on, 10.00 yuan" in listed and "2. 5 GB data add-on, 30.00 yuan" in listed
    )
    asked = await say(sms, C4, "2")
    assert (
        f"Buy the 5 GB data add-on? 5.0 GB for 30.00 yuan from your balance, valid until {VALID}"
        in asked
    )
    done = await say(sms, C4, "1")
    assert re.search(r"Order DP\d{10}: the 5 GB data add-on is active, 5.0 GB more data", done), (
        done
    )
    assert "30.00 yuan was taken from your balance, now 280.75 yuan" in done
    assert balance_of(billing_db, C4) == Decimal("280.75")


async def test_the_sms_code_and_cancel_at_the_confirmation(
    sms: SmsGatewayClient, billing_db: Engine
) -> None:
    assert "2. 5GB流量加油包 30.00元" in await say(sms, C2, "LLB")
    assert "确认购买5GB流量加油包吗" in await say(sms, C2, "2")
    assert "未购买流量包" in await say(sms, C2, "2")
    assert balance_of(billing_db, C2) == Decimal("156.00")
    assert "没有待确认" in await say(sms, C2, "确认")  # the "yes" comes too late


async def test_arrears_is_refused_with_a_top_up_pointer(
    sms: SmsGatewayClient, billing_db: Engine
) -> None:
    reply = await say(sms, C3, "买个流量包")
    assert "已欠费12.30元，欠费期间无法购买流量包" in reply and "充值" in reply
    assert "1. " not in reply  # no pack to pick
    # A payload typed by hand (its Latin words read as English) is refused as well.
    picked = await say(sms, C3, '/choose_data_pack{"data_pack":"DP1G"}')
    assert "you owe 12.30 yuan" in picked and "Buy the" not in picked
    assert balance_of(billing_db, C3) == Decimal("-12.30")


async def test_a_short_balance_is_refused(sms: SmsGatewayClient, billing_db: Engine) -> None:
    reply = await say(sms, C5, "LLB")  # not even the cheapest pack: no list to pick from
    assert "话费余额2.10元，不足以支付10.00元的流量包" in reply and "1. " not in reply
    picked = await say(sms, C5, '/choose_data_pack{"data_pack":"DP1G"}')  # typed by hand
    assert "does not cover the 10.00 yuan" in picked and "Buy the" not in picked
    assert balance_of(billing_db, C5) == Decimal("2.10")
