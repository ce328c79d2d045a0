"""Services, plans and months named the way customers name them, used by the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.plan_info import ActionPlanInfo
from actions.plan_matching import match_plan
from actions.subscriptions import ActionProposeUnsubscribe
from bot.domain.catalogue import month_named, services_named
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService
from tests.unit.trackers import C5, make_tracker, responses, sent

NOV = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("退订彩铃", {"VRBT"}),
        ("不要那个视频彩铃了", {"VRBT"}),
        ("取消來電答鈴", {"VRBT"}),  # Taiwan, Traditional
        ("stop charging me for the ringtone", {"VRBT"}),
        ("cancel the ringback tone", {"VRBT"}),
        ("退订手机报", {"NEWS"}),
        ("I don't want the news service", {"NEWS"}),
        ("unsubscribe me from a newsletter", set()),  # not the operator's news
        ("退订", set()),
    ],
)
def test_services_by_their_everyday_names(text: str, codes: set[str]) -> None:
    assert services_named(text) == codes


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("10月账单", "2026-10"),
        ("十月的话费", "2026-10"),
        ("上个月扣了多少", "2026-10"),
        ("上個月帳單", "2026-10"),
        ("12月的账单", "2025-12"),  # the latest December, last year
        ("my October bill", "2026-10"),
        ("last month", "2026-10"),
        ("bill for May", "2026-05"),
        ("may I see my bill", None),
        ("what's my bill", None),
        ("查账单", None),
    ],
)
def test_months_absolute_and_relative(text: str, month: str | None) -> None:
    assert month_named(text, NOV) == month


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("换成58的", "P58"),
        ("換成58元的套餐", "P58"),
        ("switch me to Max 88", "P88"),
        ("我要改88块的", "P88"),
        ("upgrade to p128", "P128"),
        ("换套餐", None),
    ],
)
async def test_plans_by_code_name_or_price(text: str, code: str | None) -> None:
    plans = await FakeBillingService().list_plans()
    found = match_plan(text, plans)
    assert (found.code if found else None) == code


@pytest.mark.parametrize("text", ["退订彩铃", "取消視頻彩鈴", "cancel my ringtone"])
async def test_unsubscribing_by_everyday_name_proposes_that_one_service(
    services: Services, domain: dict[str, Any], text: str
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(C5, text=text, intent="unsubscribe", sender_id=C5)
    action = ActionProposeUnsubscribe(services=services, today=lambda: TODAY)
    events = await action.run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_unsubscribe_confirm"]
    assert sent(dispatcher, "utter_unsubscribe_confirm")["name"] in (
        "视频彩铃",
        "Video ringback tone",
    )
    assert events[0]["value"]  # the recorded proposal's id, for the customer's "yes"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("88的套餐多少钱", "zh", "畅享88元套餐 88.00元/月（80.0GB，1000分钟，200条短信）"),
        ("what does Plus 58 include", "en", "Plus 58 58.00 yuan/month (40.0 GB, 500 min, 100 SMS)"),
    ],
)
async def test_a_plan_question_answers_and_orders_nothing(
    services: Services, domain: dict[str, Any], text: str, language: str, expected: str
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(C5, text=text, intent="ask_plan_info", slots={"language": language})
    events = await ActionPlanInfo(services=services).run(dispatcher, tracker, domain)
    assert events == []  # no proposal, no pending plan
    assert sent(dispatcher, "utter_plan_info")["plan"] == expected
    assert not await services.proposals.pending("x", C5, "sms", "plan_change")
    assert isinstance(services.billing, FakeBillingService) and not services.billing.orders


async def test_a_plan_question_without_a_plan_gets_the_catalogue(
    services: Services, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(C5, text="套餐都多少钱", intent="ask_plan_info")
    await ActionPlanInfo(services=services).run(dispatcher, tracker, domain)
    assert responses(dispatcher)[0] == "utter_plan_list"
