"""Sales and services the bot cannot do: where and how, the offer of a person, a sales case."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff
from actions.sales import SALES_ACTION, ActionSalesInfo
from bot.domain.sales import BROADBAND, GENERAL, PORTING, ROAMING, SIM, TOP_UP, sales_topic
from bot.handoff.queue import HandoffReason
from bot.wiring import Services
from tests.fakes import FakeHandoffQueue
from tests.unit.trackers import C1, action, make_tracker, responses, user


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("我想办宽带", BROADBAND),
        ("家裡想裝寬頻", BROADBAND),  # Traditional, read as Simplified
        ("can I get fibre at home", BROADBAND),
        ("手机卡丢了怎么补卡", SIM),
        ("I need a new SIM", SIM),
        ("携号转网怎么办", PORTING),
        ("can I keep my number if I switch carrier", PORTING),
        ("出国怎么开漫游", ROAMING),
        ("how do I use my phone abroad", ROAMING),
        ("怎么充话费", TOP_UP),
        ("where can I top up", TOP_UP),
        ("營業廳在哪", GENERAL),
        ("how do I get that", GENERAL),
    ],
)
def test_the_topic_is_named_in_the_request(text: str, topic: str) -> None:
    assert sales_topic(text) == topic


async def test_the_answer_says_where_and_offers_a_person(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(C1, text="我想办宽带", intent="ask_sales", slots={"language": "zh"})
    assert await ActionSalesInfo().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_sales_broadband", "utter_sales_offer_person"]
    for name in responses(dispatcher):
        assert name in domain["responses"]


async def test_every_topic_has_its_answer_in_both_languages(domain: dict[str, Any]) -> None:
    for topic in (BROADBAND, SIM, PORTING, ROAMING, TOP_UP, GENERAL):
        variations = domain["responses"][f"utter_sales_{topic}"]
        assert len(variations) == 2 and variations[0]["condition"][0]["value"] == "zh"


async def test_yes_to_the_offer_opens_a_sales_case(
    services: Services, domain: dict[str, Any]
) -> None:
    history = [user("我想办宽带", "ask_sales"), action(SALES_ACTION)]
    tracker = make_tracker(
        C1, text="1", intent="affirm", sender_id=C1, slots={"language": "zh"}, history=history
    )
    dispatcher = CollectingDispatcher()
    events = await ActionHandoff(services=services).run(dispatcher, tracker, domain)
    assert events == [ConversationPaused()] and responses(dispatcher) == ["utter_handoff"]
    assert isinstance(services.handoff, FakeHandoffQueue)
    [case] = services.handoff.cases
    assert case.reason == HandoffReason.SALES


async def test_a_plain_request_for_a_person_stays_a_customer_request(
    services: Services, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(C1, text="转人工", intent="human_handoff", sender_id=C1)
    await ActionHandoff(services=services).run(CollectingDispatcher(), tracker, domain)
    assert isinstance(services.handoff, FakeHandoffQueue)
    assert [c.reason for c in services.handoff.cases] == [HandoffReason.CUSTOMER_REQUEST]
