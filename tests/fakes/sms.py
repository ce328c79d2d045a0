"""``FakeSmsSender``: the outbound SMS port in memory."""

from __future__ import annotations

from bot.channels.sms.outbound import SmsSender, SmsSendError


class FakeSmsSender(SmsSender):
    """Keeps the messages it was asked to send; ``down = True`` makes it fail."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.down = False

    async def send(self, to: str, text: str, *, secret: str | None = None) -> None:
        if self.down:
            raise SmsSendError("fake gateway is down")
        self.sent.append((to, text))
