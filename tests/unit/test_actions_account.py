"""Balance, usage and bill journeys, and who may see account data at all."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.balance import ActionCheckBalance
from actions.base import AccountAction
from actions.bill import ActionCheckBill
from actions.usage import ActionCheckUsage
from bot.billing.port import MonthlyUsage
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService, FakeSmsSender, fake_services
from tests.unit.trackers import C1, C3, C4, C5, STRANGER, make_tracker, responses, sent

ACCOUNT_ACTIONS = [ActionCheckBalance, ActionCheckUsage, ActionCheckBill]


def fake_billing(services: Services) -> FakeBillingService:
    assert isinstance(services.billing, FakeBillingService)
    return services.billing


async def run(
    action_class: type[AccountAction],
    services: Services,
    domain: dict[str, Any],
    msisdn: str | None = C1,
    **tracker_args: Any,
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    action = action_class(services=services, today=lambda: TODAY)
    events = await action.run(dispatcher, make_tracker(msisdn, **tracker_args), domain)
    return dispatcher, events


class TestWhoGetsAccountData:
    @pytest.mark.parametrize("action_class", ACCOUNT_ACTIONS)
    async def test_unknown_number_is_told_it_is_not_a_customer(
        self, action_class: type[AccountAction], services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, events = await run(action_class, services, domain, STRANGER)
        assert responses(dispatcher) == ["utter_not_a_customer", "utter_menu_general"]
        assert events == []

    @pytest.mark.parametrize("action_class", ACCOUNT_ACTIONS)
    async def test_rest_channel_metadata_is_not_trusted(
        self, action_class: type[AccountAction], services: Services, domain: dict[str, Any]
    ) -> None:
        claimed = {"msisdn": C1, "channel": "sms"}
        dispatcher, _ = await run(
            action_class, services, domain, C1, channel="rest", metadata=claimed
        )
        assert responses(dispatcher) == ["utter_verify_offer", "utter_menu_general"]

    async def test_web_chat_verified_by_code_gets_its_account(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        sms = FakeSmsSender()
        services = fake_services(sms)
        verifier = services.verification
        await verifier.start("conversation-1", "rest", C1, lambda code: code)
        await verifier.check("conversation-1", "rest", sms.sent[0][1])
        dispatcher, _ = await run(ActionCheckBalance, services, domain, None, channel="rest")
        assert sent(dispatcher, "utter_balance")["balance"] == "23.50"

    async def test_code_verified_in_another_conversation_does_not_count(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        sms = FakeSmsSender()
        services = fake_services(sms)
        await services.verification.start("someone-else", "rest", C1, lambda code: code)
        await services.verification.check("someone-else", "rest", sms.sent[0][1])
        dispatcher, _ = await run(ActionCheckBalance, services, domain, None, channel="rest")
        assert responses(dispatcher) == ["utter_verify_offer", "utter_menu_general"]

    async def test_sms_message_without_number_gets_no_account_data(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionCheckBalance, services, domain, None)
        assert responses(dispatcher) == ["utter_not_a_customer", "utter_menu_general"]

    @pytest.mark.parametrize("action_class", ACCOUNT_ACTIONS)
    async def test_billing_down_is_a_polite_apology(
        self, action_class: type[AccountAction], services: Services, domain: dict[str, Any]
    ) -> None:
        fake_billing(services).down = True
        dispatcher, events = await run(action_class, services, domain)
        assert responses(dispatcher) == ["utter_service_unavailable"]
        assert events == []


class TestBalance:
    async def test_positive_balance(self, services: Services, domain: dict[str, Any]) -> None:
        dispatcher, _ = await run(ActionCheckBalance, services, domain, C1)
        assert responses(dispatcher) == ["utter_balance"]
        message = sent(dispatcher, "utter_balance")
        assert (message["name"], message["balance"]) == ("Zhang Wei", "23.50")

    async def test_name_follows_the_conversation_language(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(
            ActionCheckBalance, services, domain, C1, slots={"language": "zh"}
        )
        assert sent(dispatcher, "utter_balance")["name"] == "张伟"

    async def test_arrears_say_what_is_owed(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionCheckBalance, services, domain, C3)
        assert responses(dispatcher) == ["utter_balance_arrears"]
        assert sent(dispatcher, "utter_balance_arrears")["owed"] == "12.30"

    async def test_low_balance_gets_a_top_up_reminder(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionCheckBalance, services, domain, C5)
        assert responses(dispatcher) == ["utter_balance", "utter_balance_low"]
        assert sent(dispatcher, "utter_balance")["balance"] == "2.10"
        assert sent(dispatcher, "utter_balance_low")["threshold"] == "5.00"

    async def test_the_reminder_follows_the_one_threshold_setting(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        action = ActionCheckBalance(services=services, low_balance=Decimal("30"))
        dispatcher = CollectingDispatcher()
        await action.run(dispatcher, make_tracker(C1), domain)  # 23.50 yuan
        assert sent(dispatcher, "utter_balance_low")["threshold"] == "30.00"

    def test_the_reminder_says_the_threshold_it_is_given(self, domain: dict[str, Any]) -> None:
        texts = [v["text"] for v in domain["responses"]["utter_balance_low"]]
        assert texts and all("{threshold}" in text and "5" not in text for text in texts)


class TestUsage:
    async def test_customer_3_usage_and_overage(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionCheckUsage, services, domain, C3)
        assert responses(dispatcher) == ["utter_usage", "utter_usage_over"]
        usage = sent(dispatcher, "utter_usage")
        figures = {k: v for k, v in usage.items() if k.startswith(("data_", "voice_", "sms_"))}
        assert {**figures, "reset_date": usage["reset_date"]} == {
            "reset_date": "2026-12-01",
            "data_used": "23.5",
            "data_total": "20.0",
            "data_pct": 118,
            "data_left": "0.0",
            "voice_used": "140",
            "voice_total": "200",
            "voice_pct": 70,
            "voice_left": "60",
            "sms_used": "30",
            "sms_total": "100",
            "sms_pct": 30,
            "sms_left": "70",
        }
        over = sent(dispatcher, "utter_usage_over")
        assert over["items"] == "data 3.5 GB over (5.00 yuan/GB)"
        assert over["charge"] == "17.50"

    async def test_overage_items_in_chinese(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionCheckUsage, services, domain, C3, slots={"language": "zh"})
        assert sent(dispatcher, "utter_usage_over")["items"] == "流量超出3.5GB（5.00元/GB）"

    async def test_within_allowance_has_no_overage_message(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionCheckUsage, services, domain, C5)
        assert responses(dispatcher) == ["utter_usage"]
        usage = sent(dispatcher, "utter_usage")
        assert (usage["data_used"], usage["data_pct"], usage["data_left"]) == ("4.9", 98, "0.1")


class TestBill:
    async def test_customer_3_months_explained_by_data_overage(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionCheckBill, services, domain, C3)
        assert responses(dispatcher) == ["utter_bill_summary"] + ["utter_bill_over"] * 3
        summary = sent(dispatcher, "utter_bill_summary")
        assert (summary["plan"], summary["fee"]) == ("Essential 38", "38.00")
        assert summary["months"] == (
            "2026-08: 89.00 yuan, 2026-09: 105.50 yuan, 2026-10: 100.00 yuan"
        )
        over = [(m["month"], m["extra"], m["items"]) for m in dispatcher.messages[1:]]
        assert over == [
            ("2026-08", "51.00", "10.2 GB extra data, 51.00 yuan"),
            ("2026-09", "67.50", "13.5 GB extra data, 67.50 yuan"),
            ("2026-10", "62.00", "12.4 GB extra data, 62.00 yuan"),
        ]

    async def test_customer_5_only_months_above_fee_are_explained(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionCheckBill, services, domain, C5, slots={"language": "zh"})
        summary = sent(dispatcher, "utter_bill_summary")
        assert summary["plan"] == "畅聊18元套餐"
        assert summary["months"] == "2026-08 18.00元，2026-09 21.00元，2026-10 23.50元"
        over = [(m["month"], m["extra"], m["items"]) for m in dispatcher.messages[1:]]
        assert over == [
            ("2026-09", "3.00", "流量超出0.6GB，收费3.00元"),
            ("2026-10", "5.50", "流量超出1.1GB，收费5.50元"),
        ]

    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("我10月的账单怎么这么贵", "zh"),
            ("上个月话费为什么扣这么多", "zh"),
            ("上個月的帳單", "zh"),
            ("why was my October bill so high", "en"),
            ("last month's bill please", "en"),
        ],
    )
    async def test_a_named_month_is_answered_alone(
        self, services: Services, domain: dict[str, Any], text: str, language: str
    ) -> None:
        dispatcher, _ = await run(
            ActionCheckBill,
            services,
            domain,
            C3,
            text=text,
            intent="check_bill",
            slots={"language": language},
        )
        assert responses(dispatcher) == ["utter_bill_one_month", "utter_bill_over"]
        one = sent(dispatcher, "utter_bill_one_month")
        assert (one["month"], one["total"], one["fee"]) == ("2026-10", "100.00", "38.00")
        assert sent(dispatcher, "utter_bill_over")["extra"] == "62.00"

    async def test_a_named_month_at_the_fee(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionCheckBill, services, domain, C5, text="8月账单")
        assert responses(dispatcher) == ["utter_bill_one_month", "utter_bill_month_at_fee"]

    async def test_a_month_without_a_bill_says_which_months_there_are(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        dispatcher, _ = await run(ActionCheckBill, services, domain, C3, text="this month's bill")
        unknown = sent(dispatcher, "utter_bill_month_unknown")
        assert unknown["month"] == "2026-11"
        assert unknown["months"] == "2026-05, 2026-06, 2026-07, 2026-08, 2026-09, 2026-10"

    async def test_all_months_at_fee(self, services: Services, domain: dict[str, Any]) -> None:
        dispatcher, _ = await run(ActionCheckBill, services, domain, C4)
        assert responses(dispatcher) == ["utter_bill_summary", "utter_bill_all_at_fee"]
        assert sent(dispatcher, "utter_bill_summary")["fee"] == "128.00"

    async def test_charges_overage_does_not_explain_are_other_charges(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        # 10 minutes over P58's 500 (1.50 yuan) and 8.50 yuan nothing in usage explains.
        fake_billing(services).history[C1] = [
            MonthlyUsage("2026-10", Decimal("33.9"), 510, 18, Decimal("68.00"))
        ]
        dispatcher, _ = await run(ActionCheckBill, services, domain, C1)
        over = sent(dispatcher, "utter_bill_over")
        assert over["extra"] == "10.00"
        assert over["items"] == "10 extra minutes, 1.50 yuan, other charges 8.50 yuan"

    async def test_no_history(self, services: Services, domain: dict[str, Any]) -> None:
        fake_billing(services).history[C1] = []
        dispatcher, _ = await run(ActionCheckBill, services, domain, C1)
        assert responses(dispatcher) == ["utter_bill_no_history"]
