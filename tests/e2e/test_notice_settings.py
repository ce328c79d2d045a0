"""Customers turn notices off and on again over SMS, by code or in words, in both languages;
the bot confirms and the state database holds the new preference."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine

from bot.domain.notice_kinds import NoticeKind
from bot.domain.script import TRADITIONAL, detect_script
from bot.notices.preferences import NoticePreferences
from bot.state.tables import NoticePreferenceRow
from tests.e2e.conftest import DEMO, STRANGER
from tests.e2e.test_journeys import say
from tools.sms_client import SmsGatewayClient

pytestmark = pytest.mark.e2e

C1, C2, C3, C4, C5 = DEMO
BALANCE, DATA, BILL = NoticeKind.BALANCE, NoticeKind.DATA, NoticeKind.BILL


@pytest.fixture
def preferences(state_db: Engine) -> Iterator[NoticePreferences]:
    """The real store on the stack's state database, every demo customer back to defaults."""

    def clear() -> None:
        with state_db.begin() as connection:
            connection.execute(
                delete(NoticePreferenceRow).where(NoticePreferenceRow.msisdn.in_([*DEMO, STRANGER]))
            )

    clear()
    yield NoticePreferences(state_db)
    clear()


async def test_codes_turn_data_alerts_off_and_on_again(
    sms: SmsGatewayClient, preferences: NoticePreferences
) -> None:
    assert "已关闭流量提醒。发送 KTLLTX 可重新开启" in await say(sms, C1, "QXLLTX")
    assert await preferences.disabled_kinds(C1) == {DATA}
    assert "已开启流量提醒" in await say(sms, C1, "ktlltx")
    assert await preferences.disabled_kinds(C1) == frozenset()


async def test_all_reminders_off_by_code_and_one_kind_back_on(
    sms: SmsGatewayClient, preferences: NoticePreferences
) -> None:
    reply = await say(sms, C4, "QXTX")  # an English profile: codes keep it
    assert (
        "all reminders (balance, data, bill and plan offers) are off" in reply and "KTTX" in reply
    )
    assert await preferences.disabled_kinds(C4) == set(NoticeKind)
    assert "Text QXYETX to turn them off" in await say(sms, C4, "KTYETX")
    assert await preferences.disabled_kinds(C4) == {DATA, BILL, NoticeKind.OFFER}


@pytest.mark.parametrize(
    ("text", "kind", "confirmed"),
    [
        ("不要再发流量提醒了", DATA, "已关闭流量提醒"),
        ("别再给我发账单短信了，每个月都发", BILL, "已关闭账单提醒"),
        ("stop the data alerts", DATA, "data alerts are off"),
        ("no more bill texts pls", BILL, "bill notices are off"),
    ],
)
async def test_asking_in_words_turns_one_kind_off(
    sms: SmsGatewayClient,
    preferences: NoticePreferences,
    text: str,
    kind: NoticeKind,
    confirmed: str,
) -> None:
    assert confirmed in await say(sms, C2, text)
    assert await preferences.disabled_kinds(C2) == {kind}


async def test_asking_in_words_turns_them_back_on(
    sms: SmsGatewayClient, preferences: NoticePreferences
) -> None:
    for kind in NoticeKind:
        await preferences.set_enabled(C5, kind, False)
    assert "已开启余额提醒" in await say(sms, C5, "重新开启余额提醒")
    assert await preferences.disabled_kinds(C5) == {DATA, BILL, NoticeKind.OFFER}
    reply = await say(sms, C5, "turn the data alerts back on")
    assert "data alerts are on again" in reply and "QXLLTX" in reply
    assert await preferences.disabled_kinds(C5) == {BILL, NoticeKind.OFFER}


async def test_traditional_is_understood_and_answered_in_traditional(
    sms: SmsGatewayClient, preferences: NoticePreferences
) -> None:
    reply = await say(sms, C3, "別再給我發餘額提醒")
    assert "已關閉餘額提醒" in reply and detect_script(reply) == TRADITIONAL
    assert await preferences.disabled_kinds(C3) == {BALANCE}


async def test_the_help_lists_the_codes(sms: SmsGatewayClient) -> None:
    assert "QXTX" in await say(sms, C2, "HELP")


async def test_a_stranger_changes_nothing(
    sms: SmsGatewayClient, preferences: NoticePreferences
) -> None:
    assert "not a Demo Telecom customer" in await say(sms, STRANGER, "QXTX")
    assert await preferences.disabled_kinds(STRANGER) == frozenset()


async def test_what_reminders_do_i_get(
    sms: SmsGatewayClient, preferences: NoticePreferences
) -> None:
    await preferences.set_enabled(C4, BILL, False)
    reply = await say(sms, C4, "what reminders do i get")
    assert "balance reminders on, data alerts on, bill notices off" in reply
    reply = await say(sms, C1, "我现在开了哪些提醒")
    assert "余额提醒已开启，流量提醒已开启，账单提醒已开启" in reply
