"""Buttons on text-only channels: numbered options answered with a digit."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.buttons import button_reply, last_buttons, render_buttons

BUTTONS = [{"title": "Confirm", "payload": "/affirm"}, {"title": "Cancel", "payload": "/deny"}]


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
