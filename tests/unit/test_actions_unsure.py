"""Account data is not shown on a guess: a half-read account question is asked about first."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.balance import ActionCheckBalance
from actions.base import AccountAction
from actions.bill import ActionCheckBill
from actions.notice_settings import ActionSetNotices
from actions.packs import ActionOfferDataPacks
from actions.plan_change import ActionProposePlanChange
from actions.plan_info import ActionCurrentPlan
from actions.subscriptions import ActionListSubscriptions, ActionProposeUnsubscribe
from actions.unsure import CONFIRM_BELOW, question_text
from actions.usage import ActionCheckUsage
from bot.channels.telegram.protocol import is_button_payload
from bot.domain.notice_kinds import NoticeKind
from bot.wiring import Services
from tests.fakes import TODAY
from tests.unit.trackers import C1, make_tracker, responses, user

ANSWERS = {
    ActionCheckBalance: "check_balance",
    ActionCheckUsage: "check_usage",
    ActionCheckBill: "check_bill",
    ActionCurrentPlan: "current_plan",
    ActionListSubscriptions: "list_subscriptions",
}


def read_as(text: str, intent: str, confidence: float, **args: Any) -> Tracker:
    tracker = make_tracker(C1, text, intent, **args)
    tracker.latest_message["intent"]["confidence"] = confidence
    return tracker


async def run(action_class: type[AccountAction], services: Services, tracker: Tracker) -> list[Any]:
    dispatcher = CollectingDispatcher()
    action = action_class(services=services, today=lambda: TODAY)
    await action.run(dispatcher, tracker, {})
    return responses(dispatcher)


@pytest.mark.parametrize(("action_class", "intent"), ANSWERS.items())
async def test_a_half_read_question_is_asked_about_first(
    action_class: type[AccountAction], intent: str, services: Services
) -> None:
    tracker = read_as("數據科學家人工幾多", intent, CONFIRM_BELOW - 0.07)
    assert await run(action_class, services, tracker) == [f"utter_did_you_mean_{intent}"]


@pytest.mark.parametrize(("action_class", "intent"), ANSWERS.items())
async def test_a_confident_question_or_the_yes_button_is_answered(
    action_class: type[AccountAction], intent: str, services: Services
) -> None:
    for tracker in (
        read_as("this month please", intent, CONFIRM_BELOW + 0.05),
        read_as(f"/{intent}", intent, 1.0),
    ):
        sent = await run(action_class, services, tracker)
        assert sent and not any(str(r).startswith("utter_did_you_mean") for r in sent)


async def test_another_intent_running_the_action_is_not_asked_about(services: Services) -> None:
    tracker = read_as("余额不够了吗", "buy_data_pack", 0.3)  # e.g. a rule after another intent
    assert "utter_did_you_mean_check_balance" not in await run(
        ActionCheckBalance, services, tracker
    )


def test_the_yes_keeps_the_month_that_was_asked_about() -> None:
    asked = user("10月那张单几多钱", "check_bill")
    for yes, intent in (("/check_bill", "check_bill"), ("是", "affirm")):
        tracker = read_as(yes, intent, 1.0, history=[asked])
        assert question_text(tracker, "check_bill") == "10月那张单几多钱"
    other = user("10月去了日本", "out_of_scope")
    tracker = read_as("/check_bill", "check_bill", 1.0, history=[other])
    assert question_text(tracker, "check_bill") == ""
    assert question_text(read_as("上个月账单", "check_bill", 0.9), "check_bill") == "上个月账单"


def test_telegram_and_web_chat_accept_the_buttons() -> None:
    assert all(is_button_payload(f"/{intent}") for intent in ANSWERS.values())
    assert is_button_payload("/out_of_scope")
    assert not is_button_payload("/EXTERNAL_notice_bill")


STATE_CHANGES = {
    ActionSetNotices: ("notice_opt_out", "取消来电提醒"),
    ActionProposeUnsubscribe: ("unsubscribe", "stop the reminder thing"),
    ActionProposePlanChange: ("change_plan", "换个58的"),
    ActionOfferDataPacks: ("buy_data_pack", "add 5GB"),
}


@pytest.mark.parametrize(("action_class", "read"), STATE_CHANGES.items())
async def test_no_state_change_on_a_guess(
    action_class: type[AccountAction], read: tuple[str, str], services: Services
) -> None:
    intent, text = read
    tracker = read_as(text, intent, CONFIRM_BELOW - 0.09)
    dispatcher = CollectingDispatcher()
    events = await action_class(services=services, today=lambda: TODAY).run(dispatcher, tracker, {})
    assert responses(dispatcher) == [f"utter_did_you_mean_{intent}"] and events == []
    assert await services.notice_preferences.disabled_kinds(C1) == frozenset()
    assert is_button_payload(f"/{intent}")


async def test_the_yes_to_a_half_read_notice_request_keeps_its_words(
    services: Services, domain: dict[str, Any]
) -> None:
    asked = user("不要再发账单提醒了", "notice_opt_out")
    tracker = read_as("是", "affirm", 1.0, history=[asked])
    dispatcher = CollectingDispatcher()
    action = ActionSetNotices(services=services, today=lambda: TODAY)
    await action.run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_notices_off"]
    assert await services.notice_preferences.disabled_kinds(C1) == frozenset({NoticeKind.BILL})
