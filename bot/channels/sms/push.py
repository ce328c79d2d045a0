"""Messages nobody asked for (agent replies, notices), sent by SMS through the gateway.

Rasa sends bot events posted to ``/conversations/{id}/tracker/events`` with
``?output_channel=sms&execute_side_effects=true`` through this channel's
``get_output_channel()``; the channel is the one the case was opened on (never
``latest``). A recipient that is not a SMS conversation is refused
(``bot.domain.ids``).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import OutputChannel

from bot.channels.sms.outbound import SmsSender, SmsSendError
from bot.channels.sms.shaping import render_buttons
from bot.domain.ids import SMS, belongs_to
from bot.domain.numbers import mask_msisdn

logger = logging.getLogger(__name__)


class SmsPushOutput(OutputChannel):
    """Sends through the SMS gateway's outbound API; buttons as numbered options."""

    def __init__(self, sender: SmsSender) -> None:
        self._sender = sender

    @classmethod
    def name(cls) -> str:
        return "sms"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, render_buttons(text, buttons))

    async def _send(self, msisdn: str, text: str) -> None:
        if not belongs_to(SMS, msisdn):
            raise ValueError("an SMS goes only to a number in E.164 form")
        try:
            await self._sender.send(msisdn, text)
        except SmsSendError as exc:
            logger.error("push SMS to %s failed: %s", mask_msisdn(msisdn), exc)
            raise
