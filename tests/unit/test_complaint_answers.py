"""The complaint form and what customers really write: the problem and the place said up
front are not asked again; an answer that does not fit is asked again once, then a person
is offered, and never stored."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.complaint_form import ValidateComplaintForm
from bot.wiring import Services
from tests.unit.trackers import C1, make_tracker, responses


def form(services: Services) -> ValidateComplaintForm:
    return ValidateComplaintForm(services=services)


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
