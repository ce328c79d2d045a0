"""The agent console's fake desk (``tests.fakes.desk``) keeps the real desk's rules."""

from __future__ import annotations

import pytest

from bot.handoff.desk import DeskError
from tests.fakes import FakeHandoffDesk


async def test_fake_desk_keeps_the_real_rules() -> None:
    desk = FakeHandoffDesk()
    desk.add(1)
    await desk.claim(1, "ann")
    with pytest.raises(DeskError):
        await desk.claim(1, "bob")
    with pytest.raises(DeskError):
        await desk.reply(1, "bob", "hi")
    await desk.reply(1, "ann", "hi")
    assert desk.replies == [(1, "ann", "hi")]
