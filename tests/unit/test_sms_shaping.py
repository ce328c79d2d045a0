"""The SMS shaping rules: segment counts checked against hand-computed examples in both
encodings, buttons as numbered options answered with a digit, and the catalogue sent in
replies that each keep within the segment budget."""

from __future__ import annotations

from typing import Any

import pytest

from actions.plans import ActionListPlans
from bot.channels.sms.shaping import (
    GSM7,
    MAX_REPLY_SEGMENTS,
    PLANS_PER_MESSAGE,
    UCS2,
    button_reply,
    encoding_of,
    in_messages,
    last_buttons,
    render_buttons,
    segment,
)
from bot.domain.responses import render
from bot.wiring import Services
from tests.unit.plans_support import run

BUTTONS = [{"title": "Confirm", "payload": "/affirm"}, {"title": "Cancel", "payload": "/deny"}]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Your balance is 23.50 yuan.", GSM7),
        ("Price: 5€ {extra} [x] ~ | ^ \\", GSM7),  # extension table
        ("Ça coûte 5 £ à Genève", UCS2),  # ç lowercase and û are not GSM-7
        ("余额23.50元", UCS2),
        ("ok 👍", UCS2),
        ("é è ù ì ò Ç Ø ø Å å Ä Ö Ñ Ü § ¿ ä ö ñ ü à Δ Φ", GSM7),
    ],
)
def test_encoding(text: str, encoding: str) -> None:
    assert encoding_of(text) == encoding


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)],
)
def test_gsm7_counts(length: int, segments: int) -> None:
    # 160 alone; 153 per part once concatenated: ceil(length / 153).
    assert segment("a" * length).count == segments


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)],
)
def test_ucs2_counts(length: int, segments: int) -> None:
    # 70 alone; 67 per part once concatenated.
    assert segment("话" * length).count == segments


def test_extension_characters_take_two_septets() -> None:
    assert segment("{" * 80).count == 1  # 160 septets
    assert segment("{" * 81).count == 2  # 162 septets: 76 + 5 characters
    assert [len(p) for p in segment("{" * 81).parts] == [76, 5]


def test_an_escape_pair_is_not_split_across_parts() -> None:
    text = "a" * 152 + "{" + "b" * 10  # the "{" would straddle septets 153 and 154
    parts = segment(text).parts
    assert parts[0] == "a" * 152 and parts[1].startswith("{")


def test_surrogate_pairs_count_two_units_and_stay_whole() -> None:
    assert segment("😀" * 35).count == 1  # 70 UTF-16 units
    assert segment("😀" * 36).count == 2
    parts = segment("中" * 66 + "😀" + "中" * 5).parts  # 73 units: two parts
    assert parts[0] == "中" * 66 and parts[1].startswith("😀")


def test_one_chinese_character_makes_the_whole_text_ucs2() -> None:
    english = "Your balance is 23.50 yuan, please top up soon. " * 3  # 147 GSM-7 characters
    assert segment(english).count == 1
    assert segment(english + "谢").count == 3  # 148 UCS-2 units: 67 + 67 + 14


class TestRenderButtons:
    def test_appends_numbered_options(self) -> None:
        assert render_buttons("Switch?", BUTTONS) == "Switch?\n1. Confirm\n2. Cancel"

    def test_without_buttons_text_is_unchanged(self) -> None:
        assert render_buttons("Hello", None) == "Hello"
        assert render_buttons("Hello", []) == "Hello"

    def test_options_alone_when_there_is_no_text(self) -> None:
        assert render_buttons("", BUTTONS) == "1. Confirm\n2. Cancel"


class TestButtonReply:
    @pytest.mark.parametrize(
        ("text", "payload"), [("1", "/affirm"), (" 2 ", "/deny"), ("2.", "/deny")]
    )
    def test_digit_picks_the_option_payload(self, text: str, payload: str) -> None:
        assert button_reply(text, BUTTONS) == payload

    @pytest.mark.parametrize("text", ["0", "3", "yes", "1a", "", "-1"])
    def test_anything_else_is_none(self, text: str) -> None:
        assert button_reply(text, BUTTONS) is None

    def test_no_buttons_no_reply(self) -> None:
        assert button_reply("1", None) is None

    def test_button_without_payload_is_none(self) -> None:
        assert button_reply("1", [{"title": "Info"}]) is None


def bot_event(buttons: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"event": "bot", "text": "t", "data": {"buttons": buttons} if buttons else {}}


class TestLastButtons:
    def test_buttons_of_the_bots_last_turn(self) -> None:
        events = [{"event": "user", "text": "hi"}, bot_event(BUTTONS)]
        assert last_buttons(events) == BUTTONS

    def test_a_user_message_clears_them(self) -> None:
        events = [bot_event(BUTTONS), {"event": "user", "text": "1"}]
        assert last_buttons(events) is None

    def test_a_later_plain_message_in_the_same_turn_keeps_them(self) -> None:
        events = [{"event": "user", "text": "hi"}, bot_event(BUTTONS), bot_event()]
        assert last_buttons(events) == BUTTONS

    def test_newer_buttons_replace_older(self) -> None:
        newer = [{"title": "Other", "payload": "/other"}]
        assert last_buttons([bot_event(BUTTONS), bot_event(newer)]) == newer

    def test_no_events(self) -> None:
        assert last_buttons([]) is None


class TestInMessages:
    def test_items_in_order_a_few_to_a_message(self) -> None:
        assert in_messages([1, 2, 3, 4, 5, 6, 7], 3) == [[1, 2, 3], [4, 5, 6], [7]]

    def test_the_default_is_the_plans_per_message(self) -> None:
        assert in_messages(list(range(PLANS_PER_MESSAGE + 1))) == [
            list(range(PLANS_PER_MESSAGE)),
            [PLANS_PER_MESSAGE],
        ]

    def test_nothing_gives_no_message(self) -> None:
        assert in_messages([]) == []

    def test_a_message_holds_at_least_one_item(self) -> None:
        with pytest.raises(ValueError):
            in_messages([1], 0)


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_every_catalogue_reply_keeps_within_the_segment_budget(
    services: Services, domain: dict[str, Any], language: str
) -> None:
    """The real catalogue, rendered from the real domain, split as the action splits it."""
    dispatcher, _ = await run(
        ActionListPlans, services, domain, None, channel="sms", slots={"language": language}
    )
    texts = [render(domain, m["response"], language, plans=m["plans"]) for m in dispatcher.messages]
    plans = await services.billing.list_plans()
    assert len(texts) == len(in_messages(plans)) > 1
    for text in texts:
        assert segment(text).count <= MAX_REPLY_SEGMENTS, text
