"""``FakeTicketNotifier``: the ticket desk's notifier (``bot.tickets.notify``), in memory."""

from __future__ import annotations

from bot.state.ticket_origins import TicketOrigin
from bot.tickets.notify import TicketNotifier, TicketNotifyError


class FakeTicketNotifier(TicketNotifier):
    """Records what would be sent; ``fail=True`` makes every send fail."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.sent: list[tuple[TicketOrigin, str]] = []

    async def send(self, origin: TicketOrigin, text: str) -> None:
        if self.fail:
            raise TicketNotifyError("fake notifier is down")
        self.sent.append((origin, text))
