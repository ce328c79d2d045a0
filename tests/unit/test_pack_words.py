"""Data packs outside the order journey: the usage answer counts and names them, the
``LLB`` code, and the words that name a pack."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.usage import ActionCheckUsage
from bot.billing.port import DataPack
from bot.domain.commands import parse_command
from bot.domain.packs import match_pack
from bot.domain.responses import render
from bot.wiring import Services
from tests.fakes import TODAY, FakeBillingService
from tests.unit.trackers import C1, make_tracker, responses, sent


async def ask_usage(
    services: Services, domain: dict[str, Any], tracker: Tracker
) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    await ActionCheckUsage(services=services, today=lambda: TODAY).run(dispatcher, tracker, domain)
    return dispatcher


def fake(services: Services) -> FakeBillingService:
    assert isinstance(services.billing, FakeBillingService)
    return services.billing


class TestUsage:
    async def test_packs_add_to_the_allowance_and_are_named(
        self, services: Services, domain: dict[str, Any]
    ) -> None:
        await fake(services).order_data_pack(C1, "DP1G")
        tracker = make_tracker(C1, text="LL", intent="check_usage", slots={"language": "zh"})
        dispatcher = await ask_usage(services, domain, tracker)
        usage = sent(dispatcher, "utter_usage")
        assert (usage["data_used"], usage["data_total"], usage["data_left"]) == (
            "31.2",
            "41.0",
            "9.8",
        )
        packs = sent(dispatcher, "utter_usage_packs")
        assert (packs["data"], packs["valid_until"]) == ("1.0", "2026-11-30")
        text = render(domain, "utter_usage_packs", "zh", **packs)
        assert text == "本月流量中含加油包1.0GB，有效期至2026-11-30。"

    async def test_no_packs_no_mention(self, services: Services, domain: dict[str, Any]) -> None:
        tracker = make_tracker(C1, text="LL", intent="check_usage")
        dispatcher = await ask_usage(services, domain, tracker)
        assert "utter_usage_packs" not in responses(dispatcher)
        assert sent(dispatcher, "utter_usage")["data_total"] == "40.0"


@pytest.mark.parametrize("code", ["LLB", "llb", " ＬＬＢ "])
def test_the_sms_code(code: str) -> None:
    command = parse_command(code)
    assert command is not None and command.intent == "buy_data_pack"


def test_the_help_list_names_the_code_in_both_languages(domain: dict[str, Any]) -> None:
    assert "LLB买流量包" in render(domain, "utter_command_list", "zh")
    assert "LLB data add-ons" in render(domain, "utter_command_list", "en")


PACKS = [
    DataPack("DP1G", "1GB流量加油包", "1 GB data add-on", Decimal("1.00"), Decimal("10.00")),
    DataPack("DP5G", "5GB流量加油包", "5 GB data add-on", Decimal("5.00"), Decimal("30.00")),
]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("要5G那个", "DP5G"),
        ("五个G的", "DP5G"),
        ("1GB就行", "DP1G"),
        ("dp5g", "DP5G"),
        ("第二个", "DP5G"),
        ("第一個", "DP1G"),
        ("the first one", "DP1G"),
        ("1 GB please", "DP1G"),
        ("随便", None),
        ("5g和1g都要", None),
        ("3GB", None),
    ],
)
def test_which_pack_words_name(text: str, code: str | None) -> None:
    found = match_pack(text, PACKS)
    assert (found.code if found else None) == code
