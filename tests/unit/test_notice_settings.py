"""Notice settings: the actions store what the customer asked for and confirm it."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.notice_settings import ActionNoticeStatus, ActionSetNotices
from bot.domain.notice_kinds import NoticeKind
from bot.domain.notice_words import ALL_KINDS
from bot.domain.responses import render
from bot.wiring import Services
from tests.fakes import TODAY
from tests.unit.trackers import C1, C4, STRANGER, make_tracker, responses, sent

BALANCE, DATA, BILL = NoticeKind.BALANCE, NoticeKind.DATA, NoticeKind.BILL
OFFER = NoticeKind.OFFER


async def run(
    services: Services,
    domain: dict[str, Any],
    msisdn: str | None = C1,
    action_class: type[ActionSetNotices | ActionNoticeStatus] = ActionSetNotices,
    **tracker_args: Any,
) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    action = action_class(services=services, today=lambda: TODAY)
    events = await action.run(dispatcher, make_tracker(msisdn, **tracker_args), domain)
    assert events == []
    return dispatcher


def text_of(dispatcher: CollectingDispatcher, domain: dict[str, Any], language: str) -> str:
    """The confirmation as the customer reads it."""
    message = dispatcher.messages[0]
    values = {k: v for k, v in message.items() if k in ("kinds", "codes", "settings")}
    return render(domain, str(message["response"]), language, **values)


class TestSetNotices:
    async def test_code_turns_data_alerts_off_and_says_how_to_undo(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = await run(
            services, domain, text="QXLLTX", intent="notice_opt_out", slots={"language": "zh"}
        )
        assert await services.notice_preferences.disabled_kinds(C1) == {DATA}
        assert text_of(dispatcher, domain, "zh") == "好的，已关闭流量提醒。发送 KTLLTX 可重新开启。"

    async def test_offers_code_turns_only_plan_offers_off(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = await run(
            services, domain, text="QXYHTX", intent="notice_opt_out", slots={"language": "zh"}
        )
        assert await services.notice_preferences.disabled_kinds(C1) == {OFFER}
        assert text_of(dispatcher, domain, "zh") == (
            "好的，已关闭套餐优惠推荐。发送 KTYHTX 可重新开启。"
        )

    async def test_dont_send_me_offers_in_words(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = await run(
            services,
            domain,
            C4,
            text="please don't send me any more offers",
            intent="notice_opt_out",
            slots={"language": "en"},
        )
        assert await services.notice_preferences.disabled_kinds(C4) == {OFFER}
        assert text_of(dispatcher, domain, "en") == (
            "Done: plan offers are off. Text KTYHTX to turn them back on."
        )

    async def test_english_words_turn_one_kind_back_on(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        for kind in NoticeKind:
            await services.notice_preferences.set_enabled(C4, kind, False)
        dispatcher = await run(
            services,
            domain,
            C4,
            text="turn balance reminders back on",
            intent="notice_opt_in",
            slots={"language": "en"},
        )
        assert await services.notice_preferences.disabled_kinds(C4) == {DATA, BILL, OFFER}
        assert (
            text_of(dispatcher, domain, "en")
            == "Done: balance reminders are on again. Text QXYETX to turn them off."
        )

    async def test_data_alerts_off_in_english(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = await run(
            services,
            domain,
            C4,
            text="stop the data alerts",
            intent="notice_opt_out",
            slots={"language": "en"},
        )
        assert (
            text_of(dispatcher, domain, "en")
            == "Done: data alerts are off. Text KTLLTX to turn them back on."
        )

    async def test_traditional_text_names_the_bill(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        await run(services, domain, text="別再寄帳單簡訊給我", intent="notice_opt_out")
        assert await services.notice_preferences.disabled_kinds(C1) == {BILL}

    async def test_no_kind_named_turns_every_kind_off(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = await run(
            services,
            domain,
            text="别给我发提醒短信了，烦死了",
            intent="notice_opt_out",
            slots={"language": "zh"},
        )
        assert await services.notice_preferences.disabled_kinds(C1) == ALL_KINDS
        assert text_of(dispatcher, domain, "zh") == (
            "好的，已关闭全部提醒（余额、流量、账单提醒和套餐优惠推荐）。发送 KTTX 可重新开启。"
        )

    async def test_two_kinds_are_named_together(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = await run(
            services,
            domain,
            text="帮我把流量和余额提醒都关了",
            intent="notice_opt_out",
            slots={"language": "zh"},
        )
        assert await services.notice_preferences.disabled_kinds(C1) == {BALANCE, DATA}
        assert text_of(dispatcher, domain, "zh") == (
            "好的，已关闭余额提醒和流量提醒。发送 KTYETX / KTLLTX 可重新开启。"
        )

    async def test_code_on_again_leaves_other_kinds_alone(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        await services.notice_preferences.set_enabled(C1, DATA, False)
        await services.notice_preferences.set_enabled(C1, BILL, False)
        dispatcher = await run(services, domain, text="ktlltx", intent="notice_opt_in")
        assert await services.notice_preferences.disabled_kinds(C1) == {BILL}
        assert sent(dispatcher, "utter_notices_on")["codes"] == "QXLLTX"

    async def test_unknown_number_changes_nothing(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = await run(services, domain, STRANGER, text="QXTX", intent="notice_opt_out")
        assert responses(dispatcher) == ["utter_not_a_customer", "utter_menu_general"]
        assert await services.notice_preferences.disabled_kinds(STRANGER) == frozenset()

    async def test_unverified_web_chat_is_offered_verification(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        claimed = {"msisdn": C1, "channel": "sms"}
        dispatcher = await run(
            services,
            domain,
            C1,
            text="QXTX",
            intent="notice_opt_out",
            channel="rest",
            metadata=claimed,
        )
        assert responses(dispatcher) == ["utter_verify_offer", "utter_menu_general"]
        assert await services.notice_preferences.disabled_kinds(C1) == frozenset()


class TestNoticeStatus:
    async def test_every_kind_on_by_default(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = await run(
            services,
            domain,
            C4,
            ActionNoticeStatus,
            text="what reminders do i get",
            intent="notice_status",
            slots={"language": "en"},
        )
        assert text_of(dispatcher, domain, "en") == (
            "Your reminders: balance reminders on, data alerts on, bill notices on, plan offers "
            "on. Text QXTX "
            "to turn them all off, KTTX to turn them all on, HELP for one kind."
        )

    async def test_a_kind_turned_off_is_said_off(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        await services.notice_preferences.set_enabled(C1, DATA, False)
        dispatcher = await run(
            services,
            domain,
            C1,
            ActionNoticeStatus,
            text="我现在开了哪些提醒",
            intent="notice_status",
            slots={"language": "zh"},
        )
        assert text_of(dispatcher, domain, "zh").startswith(
            "您的提醒：余额提醒已开启，流量提醒已关闭，账单提醒已开启，套餐优惠推荐已开启。"
        )

    async def test_unknown_number_is_told_so(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher = await run(
            services,
            domain,
            STRANGER,
            ActionNoticeStatus,
            text="reminder status",
            intent="notice_status",
        )
        assert responses(dispatcher) == ["utter_not_a_customer", "utter_menu_general"]
