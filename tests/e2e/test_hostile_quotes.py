"""A price that moves between the question and the "yes" is never charged (over SMS).

The catalogue is changed in the billing database while the customer is being asked;
their "1" then charges nothing: the bot says the terms changed and asks again with
the new price, and only a "1" to that question orders, at the price it stated.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.billing.models import DataPackOrderRow, DataPackRow
from tests.e2e.conftest import DEMO
from tests.e2e.test_data_packs import balance_of
from tests.e2e.test_journeys import say
from tools.sms_client import SmsGatewayClient

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("untouched_billing")]

C1, C2, C3, C4, C5 = DEMO


def set_price(billing_db: Engine, code: str, price: str) -> None:
    """Change a pack's price in the catalogue (as the operator would)."""
    with Session(billing_db) as session:
        change = update(DataPackRow).where(DataPackRow.code == code)
        session.execute(change.values(price=Decimal(price)))
        session.commit()


@pytest.fixture
def pack_price(billing_db: Engine) -> Iterator[None]:
    yield
    set_price(billing_db, "DP1G", "10.00")


@pytest.mark.usefixtures("pack_price")
async def test_a_pack_repriced_before_the_yes_is_asked_again_then_charged_as_stated(
    sms: SmsGatewayClient, billing_db: Engine
) -> None:
    await say(sms, C1, "LLB")
    assert "10.00元从话费余额扣除" in await say(sms, C1, "1")
    set_price(billing_db, "DP1G", "12.00")
    again = await say(sms, C1, "1")
    assert "价格或内容已有变动" in again and "未扣费" in again, again
    assert "12.00元从话费余额扣除" in again, again
    assert balance_of(billing_db, C1) == Decimal("23.50")  # nothing charged
    with Session(billing_db) as session:
        assert session.scalars(select(DataPackOrderRow)).all() == []
    done = await say(sms, C1, "1")
    assert "已从话费余额扣除12.00元，当前余额11.50元" in done, done
    assert balance_of(billing_db, C1) == Decimal("11.50")
