"""Conversation ids: the Telegram form is made and recognised in one place."""

from __future__ import annotations

import pytest

from bot.channels.telegram.protocol import sender_id
from bot.domain.ids import (
    SMS,
    TELEGRAM,
    TELEGRAM_PREFIX,
    belongs_to,
    channel_of,
    is_telegram,
    telegram_conversation,
    telegram_user_id,
)


def test_a_telegram_user_has_one_conversation_id_everywhere() -> None:
    conversation = telegram_conversation(42)
    assert conversation == f"{TELEGRAM_PREFIX}42" == sender_id(42)
    assert is_telegram(conversation) and belongs_to(TELEGRAM, conversation)
    assert channel_of(conversation) == TELEGRAM
    assert telegram_user_id(conversation) == "42"


@pytest.mark.parametrize("conversation", ["tg-", "tg-abc", "+8613800000001", "tg-1 ", "xtg-1"])
def test_other_forms_are_not_telegram(conversation: str) -> None:
    assert not is_telegram(conversation)
    with pytest.raises(ValueError):
        telegram_user_id(conversation)


def test_a_number_is_sms_not_telegram() -> None:
    assert channel_of("+8613800000001") == SMS
