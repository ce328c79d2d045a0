"""Questions in the middle of a form or a confirmation, over the real SMS channel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine

from bot.billing.models import PlanChangeOrderRow, SubscriptionRow
from tests.e2e.conftest import DEMO
from tests.e2e.test_journeys import say
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

C1, C2, C3, C4, C5 = DEMO
CATEGORY_QUESTION = "请问您要投诉哪方面的问题"


@pytest.fixture(autouse=True)
def restored_accounts(billing_db: Engine) -> Iterator[None]:
    """The ringback tone subscribed again and the plan change order removed afterwards."""
    yield
    with billing_db.begin() as connection:
        connection.execute(
            update(SubscriptionRow)
            .where(SubscriptionRow.msisdn == C5, SubscriptionRow.code == "VRBT")
            .values(active=True)
        )
        connection.execute(delete(PlanChangeOrderRow).where(PlanChangeOrderRow.msisdn == C3))


async def test_a_code_inside_the_complaint_form_is_answered_then_the_form_goes_on(
    sms: SmsGatewayClient,
) -> None:
    assert CATEGORY_QUESTION in await say(sms, C1, "我要投诉")
    reply = await say(sms, C1, "YE")
    assert "余额为23.50元" in reply and CATEGORY_QUESTION in reply
    reply = await say(sms, C1, "我这个月流量用了多少了")
    assert "流量已用" in reply and CATEGORY_QUESTION in reply
    assert "已取消本次投诉" in await say(sms, C1, "算了")
    # The form is over: a later message is a request of its own.
    assert "余额为23.50元" in await say(sms, C1, "YE")


async def test_the_unsubscribe_question_is_asked_again_and_a_yes_still_counts(
    sms: SmsGatewayClient,
) -> None:
    assert "确认退订视频彩铃（5.00元/月）" in await say(sms, C5, "td vrbt")
    reply = await say(sms, C5, "YE")
    assert "余额为" in reply and "确认退订视频彩铃（5.00元/月）" in reply
    assert "每月可节省5.00元" in await say(sms, C5, "1")


async def test_the_plan_change_question_is_asked_again_after_a_question(
    sms: SmsGatewayClient,
) -> None:
    assert "确认办理吗" in await say(sms, C3, "帮我换成畅享58元套餐")
    reply = await say(sms, C3, "LL")
    assert "流量已用" in reply and "确认办理吗" in reply
    assert "办理成功" in await say(sms, C3, "好的")
