"""The complaint form's validation: which slots it asks for and how it reads them."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint_form import MAX_DESCRIPTION, ValidateComplaintForm
from bot.wiring import Services
from tests.fakes import FakeBillingService
from tests.unit.trackers import C1, STRANGER, make_tracker, responses

FORM_SLOTS = ["complaint_category", "complaint_description", "complaint_location"]


def form(services: Services) -> ValidateComplaintForm:
    return ValidateComplaintForm(services=services)


class TestRequiredSlots:
    async def test_network_complaint_asks_for_the_location(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(C1, slots={"complaint_category": "network"})
        slots = await form(services).required_slots(
            FORM_SLOTS, CollectingDispatcher(), tracker, domain
        )
        assert slots == FORM_SLOTS

    @pytest.mark.parametrize("category", [None, "billing", "broadband", "spam", "other"])
    async def test_other_complaints_skip_the_location(
        self, category: str | None, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(C1, slots={"complaint_category": category})
        slots = await form(services).required_slots(
            FORM_SLOTS, CollectingDispatcher(), tracker, domain
        )
        assert slots == ["complaint_category", "complaint_description"]

    async def test_not_a_customer_is_asked_nothing(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(STRANGER, slots={"complaint_category": "network"})
        assert (
            await form(services).required_slots(FORM_SLOTS, CollectingDispatcher(), tracker, domain)
            == []
        )

    async def test_rest_channel_is_asked_nothing(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(C1, channel="rest", metadata={"msisdn": C1, "channel": "sms"})
        assert (
            await form(services).required_slots(FORM_SLOTS, CollectingDispatcher(), tracker, domain)
            == []
        )

    async def test_billing_down_ends_the_form(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        assert isinstance(services.billing, FakeBillingService)
        services.billing.down = True
        tracker = make_tracker(C1)
        assert (
            await form(services).required_slots(FORM_SLOTS, CollectingDispatcher(), tracker, domain)
            == []
        )


class TestExtractCategory:
    @pytest.mark.parametrize(
        ("requested", "text", "expected"),
        [
            (None, "I want to complain about my bill", "billing"),
            ("complaint_category", "宽带断了", "broadband"),
            ("complaint_category", "spam calls", "spam"),
        ],
    )
    async def test_category_from_the_message(
        self,
        requested: str | None,
        text: str,
        expected: str,
        services: Services,
        domain: dict[str, Any],
    ) -> None:
        tracker = make_tracker(C1, text=text, slots={"requested_slot": requested})
        extracted = await form(services).extract_complaint_category(
            CollectingDispatcher(), tracker, domain
        )
        assert extracted == {"complaint_category": expected}

    async def test_no_keyword_at_activation_extracts_nothing(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(C1, text="我要投诉", intent="file_complaint")
        dispatcher = CollectingDispatcher()
        assert await form(services).extract_complaint_category(dispatcher, tracker, domain) == {}
        assert dispatcher.messages == []

    async def test_unrecognised_answer_asks_again(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(
            C1, text="嗯嗯", intent="affirm", slots={"requested_slot": "complaint_category"}
        )
        dispatcher = CollectingDispatcher()
        extracted = await form(services).extract_complaint_category(dispatcher, tracker, domain)
        assert extracted == {"complaint_category": None}
        assert responses(dispatcher) == ["utter_complaint_category_invalid"]

    @pytest.mark.parametrize("intent", ["stop", "human_handoff"])
    async def test_leaving_the_form_is_not_an_answer(
        self, intent: str, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(
            C1, text="取消", intent=intent, slots={"requested_slot": "complaint_category"}
        )
        dispatcher = CollectingDispatcher()
        assert await form(services).extract_complaint_category(dispatcher, tracker, domain) == {}
        assert dispatcher.messages == []

    async def test_category_already_chosen_is_kept(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(
            C1,
            text="bill",
            slots={"complaint_category": "network", "requested_slot": "complaint_category"},
        )
        assert (
            await form(services).extract_complaint_category(CollectingDispatcher(), tracker, domain)
            == {}
        )

    async def test_description_is_not_read_as_a_category(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        tracker = make_tracker(
            C1, text="no signal and a wrong bill", slots={"requested_slot": "complaint_description"}
        )
        assert (
            await form(services).extract_complaint_category(CollectingDispatcher(), tracker, domain)
            == {}
        )


class TestValidateText:
    def test_description_is_trimmed_and_capped(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        result = form(services).validate_complaint_description(
            "  " + "x" * 600, CollectingDispatcher(), make_tracker(C1), domain
        )
        assert result == {"complaint_description": "x" * MAX_DESCRIPTION}

    @pytest.mark.parametrize("value", [None, "", "   "])
    def test_blank_description_is_rejected(
        self, value: str | None, services: Services, domain: dict[str, Any]
    ) -> None:
        result = form(services).validate_complaint_description(
            value, CollectingDispatcher(), make_tracker(C1), domain
        )
        assert result == {"complaint_description": None}

    def test_location_is_trimmed_and_capped(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        validate = form(services).validate_complaint_location
        assert validate(" 南山区 ", CollectingDispatcher(), make_tracker(C1), domain) == {
            "complaint_location": "南山区"
        }
        long = validate("y" * 300, CollectingDispatcher(), make_tracker(C1), domain)
        assert long == {"complaint_location": "y" * 200}


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "taken"),
    [
        ("charged <twice> & then > thrice", "check_bill", 0.55, True),  # a description
        ("信号太差，打电话老是断", "file_complaint", 0.9, True),
        ("YE", "check_balance", 1.0, False),  # an SMS code: answered in passing
        ("how much is my bill this month?", "check_bill", 0.93, False),
        ("算了", "stop", 0.4, False),  # leaving always leaves
        ("转人工", "human_handoff", 0.6, False),
    ],
)
async def test_a_description_is_the_customers_words_unless_clearly_a_question(
    services: Services,
    domain: dict[str, Any],
    text: str,
    intent: str,
    confidence: float,
    taken: bool,
) -> None:
    tracker = make_tracker(
        C1, text=text, intent=intent, slots={"requested_slot": "complaint_description"}
    )
    tracker.latest_message["intent"]["confidence"] = confidence
    validator = form(services)
    found = await validator.extract_complaint_description(CollectingDispatcher(), tracker, domain)
    assert found == ({"complaint_description": text} if taken else {})
