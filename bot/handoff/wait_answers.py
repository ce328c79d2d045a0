"""Answers to "how long will it take?" from customers whose case waits.

A waiting customer's conversation is paused: Rasa still reads each message (NLU runs and
the ``user`` event keeps its intent) but predicts nothing, so no action can answer. The
console's periodic work (``bot.console.ticker``) does: for each waiting case whose customer
asked ``ask_wait_time`` since the pause and since the last answer, it sends their place in
the queue and an estimate (``bot.handoff.estimate``), in the customer's language and script.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, Protocol

from bot.domain.ids import belongs_to
from bot.domain.language import ZH
from bot.domain.responses import render
from bot.domain.script import TRADITIONAL, detect_script, to_traditional
from bot.handoff.desk_texts import wait_place
from bot.handoff.estimate import QueueStanding, Standing
from bot.handoff.queue import HandoffQueue
from bot.handoff.rasa_api import RasaApiError
from bot.handoff.staffing import DeskStaffing, DeskState
from bot.storage.clock import aware_utc_now

logger = logging.getLogger(__name__)
WAIT_INTENT = "ask_wait_time"
ANSWER_MARK = "wait_answer"  # in the metadata of the bot event that answered


class Conversations(Protocol):
    """Rasa's HTTP API as used here (``bot.handoff.rasa_api.RasaAdminClient``)."""

    async def events(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every event of the conversation."""

    async def append(
        self, conversation_id: str, events: list[dict[str, Any]], channel: str | None = None
    ) -> None:
        """Append events; with ``channel``, bot events also go out on that channel."""


def unanswered_question(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest ``ask_wait_time`` message since the conversation was paused that no wait
    answer followed, if any."""
    asked: dict[str, Any] | None = None
    for event in events:
        kind = event.get("event")
        if kind in ("pause", "resume"):
            asked = None
        elif kind == "user" and _intent(event) == WAIT_INTENT:
            asked = event
        elif kind == "bot" and (event.get("metadata") or {}).get(ANSWER_MARK):
            asked = None
    return asked


def _intent(event: dict[str, Any]) -> str | None:
    intent = (event.get("parse_data") or {}).get("intent") or {}
    name = intent.get("name")
    return str(name) if name else None


def wait_text(
    domain: dict[str, Any],
    language: str,
    standing: Standing,
    asked: str,
    state: DeskState | None = None,
) -> str:
    """The answer in ``language``, in Traditional characters if ``asked`` was written so;
    while the desk is closed, it says when it opens (``state``)."""
    response, values = wait_place(domain, language, standing, state)
    text = render(domain, response, language, **values)
    if language == ZH and detect_script(asked) == TRADITIONAL:
        return to_traditional(text)
    return text


class WaitAnswers:
    """Answer waiting customers' wait questions (``tick``, run by the console)."""

    def __init__(
        self,
        queue: HandoffQueue,
        standing: QueueStanding,
        rasa: Conversations,
        domain: dict[str, Any],
        clock: Callable[[], dt.datetime] = aware_utc_now,
        staffing: DeskStaffing | None = None,
    ) -> None:
        """``staffing``: the desk's hours and presence (None: always answering)."""
        self._queue = queue
        self._standing = standing
        self._rasa = rasa
        self._domain = domain
        self._clock = clock
        self._staffing = staffing

    async def tick(self) -> None:
        """One pass over the waiting cases."""
        state: DeskState | None = None
        for case in await self._queue.waiting():
            if not belongs_to(case.channel, case.conversation_id):
                continue
            try:
                asked = unanswered_question(await self._rasa.events(case.conversation_id))
                if asked is None:
                    continue
                standing = await self._standing.of_case(case.id)
                if standing is None:  # claimed meanwhile: the agent answers
                    continue
                if state is None and self._staffing is not None:
                    state = await self._staffing.state()
                text = wait_text(
                    self._domain, case.language, standing, str(asked.get("text")), state
                )
                answer = {
                    "event": "bot",
                    "text": text,
                    "timestamp": self._clock().timestamp(),
                    "metadata": {ANSWER_MARK: True},
                }
                listen = {"event": "action", "name": "action_listen"}
                await self._rasa.append(case.conversation_id, [answer, listen], case.channel)
            except RasaApiError as exc:
                logger.warning("no wait answer for case %s: %s", case.id, exc)
