"""A customer who writes Traditional Chinese is understood and answered in Traditional,
with the same figures; one who writes Simplified gets Simplified (the SMS channel)."""

from __future__ import annotations

import pytest

from bot.domain.script import SIMPLIFIED, TRADITIONAL, detect_script
from tests.e2e.conftest import DEMO
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e
C1, C2, C3 = DEMO[0], DEMO[1], DEMO[2]


async def say(sms: SmsGatewayClient, sender: str, text: str) -> str:
    reply = await sms.send(sender, text)
    assert reply.status == 200, reply.body
    return "\n".join(reply.texts)


@pytest.mark.parametrize("question", ["查詢餘額", "我的話費還剩多少？", "餘額"])
async def test_a_balance_question_in_traditional_gets_traditional(
    sms: SmsGatewayClient, question: str
) -> None:
    reply = await say(sms, C1, question)
    assert "23.50元" in reply and "餘額" in reply
    assert detect_script(reply) == TRADITIONAL


async def test_arrears_in_traditional_keep_their_figure(sms: SmsGatewayClient) -> None:
    reply = await say(sms, C3, "查一下我的餘額")
    assert "欠費12.30元" in reply


async def test_the_script_holds_for_codes_and_changes_with_the_customer(
    sms: SmsGatewayClient,
) -> None:
    assert detect_script(await say(sms, C2, "帳單")) == TRADITIONAL
    # A command code says nothing of the script: the conversation keeps Traditional.
    assert detect_script(await say(sms, C2, "YE")) == TRADITIONAL
    # Writing Simplified again brings Simplified replies back.
    assert detect_script(await say(sms, C2, "查余额")) == SIMPLIFIED
