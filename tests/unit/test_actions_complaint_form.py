"""The complaint form's validation: which slots it asks for and how it reads them."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import MAX_DESCRIPTION, ValidateComplaintForm
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


class TestSaidUpFront:
    """What the first message already says is not asked again."""

    async def extract(
        self, services: Services, domain: dict[str, Any], text: str, intent: str = "file_complaint"
    ) -> dict[str, Any]:
        tracker = make_tracker(C1, text=text, intent=intent, slots={"requested_slot": None})
        return await form(services).extract_complaint_description(
            CollectingDispatcher(), tracker, domain
        )

    @pytest.mark.parametrize(
        ("text", "place"),
        [
            ("家里天河区这边一个星期都没信号了", "家里天河区"),
            ("我想投訴，屯門嘅屋企冇訊號成個禮拜", "屯門嘅屋企"),
            ("no signal at home in Tianhe district since Monday", "home in Tianhe district"),
            ("I was charged twice for the same roaming pack last month", None),
        ],
    )
    async def test_the_problem_and_the_place_are_taken(
        self, services: Services, domain: dict[str, Any], text: str, place: str | None
    ) -> None:
        expected = {"complaint_description": text}
        if place:
            expected["complaint_location"] = place
        assert await self.extract(services, domain, text) == expected

    @pytest.mark.parametrize("text", ["我要投诉", "投訴網絡", "I want to file a complaint"])
    async def test_a_bare_request_to_complain_is_asked_for_the_problem(
        self, services: Services, domain: dict[str, Any], text: str
    ) -> None:
        assert await self.extract(services, domain, text) == {}

    async def test_only_a_complaint_starts_with_its_problem(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        assert await self.extract(services, domain, "家里网速很慢查下流量", "check_usage") == {}


class TestAnswersThatDoNotFit:
    """A yes to "where?", a new request to "describe the problem": asked again once, then a
    person is offered; never stored."""

    async def answer(
        self,
        services: Services,
        domain: dict[str, Any],
        slot: str,
        text: str,
        intent: str,
        confidence: float = 0.9,
        misses: float | None = None,
    ) -> tuple[dict[str, Any], list[str | None]]:
        tracker = make_tracker(
            C1,
            text=text,
            intent=intent,
            slots={"requested_slot": slot, "complaint_misfits": misses},
        )
        tracker.latest_message["intent"]["confidence"] = confidence
        dispatcher = CollectingDispatcher()
        extract = getattr(form(services), f"extract_{slot}")
        return await extract(dispatcher, tracker, domain), responses(dispatcher)

    async def test_a_yes_to_where_is_asked_again_then_a_person_offered(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        found, said = await self.answer(services, domain, "complaint_location", "好的", "affirm")
        assert found == {"complaint_location": None, "complaint_misfits": 1.0}
        assert said == ["utter_complaint_location_misfit"]
        found, said = await self.answer(
            services, domain, "complaint_location", "yes", "affirm", misses=1.0
        )
        assert found == {"complaint_location": None, "complaint_misfits": 2.0}
        assert said == ["utter_complaint_offer_person"]

    async def test_a_new_request_is_not_the_problem(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        found, said = await self.answer(
            services, domain, "complaint_description", "有没有便宜点的套餐", "recommend_plan"
        )
        assert found == {"complaint_description": None, "complaint_misfits": 1.0}
        assert said == ["utter_complaint_description_misfit"]

    async def test_an_unrelated_question_is_not_the_place(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        for text, intent in (
            ("is there a cheaper plan", "recommend_plan"),
            ("余额和流量", "check_balance+check_usage"),
        ):
            found, _ = await self.answer(services, domain, "complaint_location", text, intent)
            assert "complaint_location" not in found or found["complaint_location"] is None

    async def test_a_place_is_taken(self, services: Services, domain: dict[str, Any]) -> None:
        found, said = await self.answer(
            services, domain, "complaint_location", "南山区科技园", "out_of_scope", 0.4
        )
        assert found == {"complaint_location": "南山区科技园"} and said == []


async def test_more_of_the_problem_is_not_the_place(
    services: Services, domain: dict[str, Any]
) -> None:
    """A complaint read with confidence answering "where?" is asked again; one that names
    a place is the place."""
    for text, taken in (("又断线了", False), ("家里天河区又断线了", True)):
        tracker = make_tracker(
            C1, text=text, intent="file_complaint", slots={"requested_slot": "complaint_location"}
        )
        tracker.latest_message["intent"]["confidence"] = 0.95
        found = await form(services).extract_complaint_location(
            CollectingDispatcher(), tracker, domain
        )
        assert found.get("complaint_location") == (text if taken else None)
