"""Code messages sent off the answer path: a customer and a stranger are answered alike.

A request for a customer's number sends an SMS; one for a stranger's sends nothing.
If the answer waited for the gateway, its time would tell the two apart. The send
runs as a task of its own instead; a failure is logged (the customer may ask again).
"""

from __future__ import annotations

import asyncio
import logging

from bot.channels.sms.outbound import SmsSender
from bot.domain.numbers import mask_msisdn

logger = logging.getLogger(__name__)


class BackgroundSends:
    """Starts sends as tasks, keeps them until done; ``drain`` waits for all of them."""

    def __init__(self, sender: SmsSender) -> None:
        self._sender = sender
        self._pending: set[asyncio.Task[None]] = set()

    async def start(self, msisdn: str, text: str, secret: str) -> None:
        """Start sending; returns at once (after one turn of the event loop)."""
        task = asyncio.get_running_loop().create_task(self._send(msisdn, text, secret))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        await asyncio.sleep(0)  # a sender with nothing to wait for is done by now

    async def pass_turn(self) -> None:
        """What ``start`` costs the answer, without a send (a stranger's number)."""
        await asyncio.sleep(0)

    async def drain(self) -> None:
        """Wait for every send started so far (tests; a clean shutdown)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    async def _send(self, msisdn: str, text: str, secret: str) -> None:
        try:
            await self._sender.send(msisdn, text, secret=secret)
        except Exception:
            logger.exception("the code for %s could not be sent", mask_msisdn(msisdn))
