"""Telling a customer about their ticket on the channel they filed it from.

``TicketNotifier`` is the port the ticket desk sends through; ``RasaTicketNotifier``
posts the text as a bot event to Rasa's HTTP API with ``output_channel=<that
channel>``, exactly as agent replies go out (``bot.handoff.desk_rasa``): Rasa keeps it
in the transcript and the channel's push output delivers it (SMS gateway, Telegram Bot
API, web-chat mailbox).
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable
from typing import Any

from bot.domain.ids import belongs_to
from bot.handoff.desk_rasa import RasaConversations
from bot.handoff.rasa_api import RasaApiError
from bot.state.ticket_origins import TicketOrigin


class TicketNotifyError(Exception):
    """The message could not be handed to the customer's channel."""


class TicketNotifier(abc.ABC):
    """Sends a message about a ticket to the conversation it was filed from."""

    @abc.abstractmethod
    async def send(self, origin: TicketOrigin, text: str) -> None:
        """Deliver ``text``; raises ``TicketNotifyError``."""


class RasaTicketNotifier(TicketNotifier):
    """Through Rasa's HTTP API, on the ticket's own channel (never ``latest``)."""

    def __init__(
        self, rasa: RasaConversations, clock: Callable[[], dt.datetime] = dt.datetime.now
    ) -> None:
        self._rasa = rasa
        self._clock = clock

    async def send(self, origin: TicketOrigin, text: str) -> None:
        if not belongs_to(origin.channel, origin.conversation_id):
            # Only ids of the channel's own form reach Rasa: nothing can be misrouted.
            raise TicketNotifyError(
                f"ticket {origin.ticket_id} has no {origin.channel} conversation"
            )
        events: list[dict[str, Any]] = [
            {
                "event": "bot",
                "text": text,
                "timestamp": self._clock().timestamp(),
                "metadata": {"ticket": origin.ticket_id},
            },
            # As after the bot's own replies: the customer's next message starts a turn.
            {"event": "action", "name": "action_listen"},
        ]
        try:
            await self._rasa.append(origin.conversation_id, events, channel=origin.channel)
        except RasaApiError as exc:
            raise TicketNotifyError(f"the message could not be delivered: {exc}") from exc
