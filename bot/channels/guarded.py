"""What every customer-facing webhook does around Rasa: limit, deduplicate, time out, apologise.

``Conversation`` runs one customer message through Rasa and always comes back
with something to say within ``REPLY_TIMEOUT`` seconds: the bot's replies; a
polite apology if the bot failed (action server down, a crash, the tracker or
lock store unreachable) or took too long; nothing only when the conversation is
paused for an agent.

Rasa wraps the tracker store in a ``FailSafeTrackerStore``: when the database is
unreachable it hands out an empty tracker and keeps the turn in memory, so the
customer would get an answer out of context that no server remembers. While a
message is handled here, the store's errors are raised instead
(``bot.rasa_ext.failsafe``, installed by the Rasa entry point); elsewhere Rasa's
behaviour is unchanged. A store that cannot be reached (``bot.channels.outage``) raises
``StoreUnavailable``: the message was not handled, and the channel has it come back
later instead of apologising. Other failures (a crash, a reply too slow) get the
apology.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted
from sanic.request import Request

from bot import services
from bot.channels.outage import StoreUnavailable, is_lock_outage, is_outage
from bot.domain.language import ZH, detect_language
from bot.domain.numbers import mask_msisdn
from bot.domain.responses import render
from bot.metrics import REPLY_FAILURES, REPLY_SECONDS, UNKNOWN, count_message, reading_intent
from bot.rasa_ext.failsafe import strict_tracker_store

logger = logging.getLogger(__name__)
REPLY_TIMEOUT = 4.5  # seconds: the customer hears from us within 5


def domain_text(request: Request, response: str, language: str) -> str:
    """A response of the loaded model's domain in ``language``."""
    agent = request.app.ctx.agent
    return render({"responses": agent.domain.responses}, response, language)


def reply_language(text: str, fallback: str = ZH) -> str:
    """The language to apologise or refuse in, from the message itself."""
    return detect_language(text) or fallback


async def converse(
    request: Request,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    timeout: float = REPLY_TIMEOUT,
) -> list[dict[str, Any]]:
    """The bot's messages for ``message``; an apology instead of silence on failure.

    Raises ``StoreUnavailable`` when a store could not be reached: nothing of the turn
    was kept, and the message is to be handled again once the store is back. Counts the
    message by channel and intent and times the reply (``bot.metrics``).
    """
    channel = message.input_channel or UNKNOWN
    started = time.perf_counter()
    with reading_intent() as intents:
        try:
            return await _converse(request, on_new_message, message, timeout)
        except StoreUnavailable:
            REPLY_FAILURES.labels(channel=channel, cause="store_outage").inc()
            raise
        finally:
            REPLY_SECONDS.labels(channel=channel).observe(time.perf_counter() - started)
            count_message(channel, intents[0] if intents else None)


async def _converse(
    request: Request,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    timeout: float,
) -> list[dict[str, Any]]:
    collector = message.output_channel
    assert isinstance(collector, CollectingOutputChannel)
    failed = False
    try:
        with strict_tracker_store():  # copied into the task wait_for makes
            await asyncio.wait_for(on_new_message(message), timeout)
    except asyncio.TimeoutError:
        logger.error("no answer within %.1f s for %s", timeout, mask_msisdn(message.sender_id))
        REPLY_FAILURES.labels(channel=message.input_channel or UNKNOWN, cause="timeout").inc()
        failed = True
    except Exception as exc:
        if collector.messages and is_lock_outage(exc):  # the turn was kept; only the
            logger.warning(
                "the lock of %s was not given back: %s",  # lock is left to expire
                mask_msisdn(message.sender_id),
                exc.__class__.__name__,
            )
            return list(collector.messages)
        if is_outage(exc):
            logger.warning(
                "a store is unreachable; %s's message is to come back later: %s",
                mask_msisdn(message.sender_id),
                exc.__class__.__name__,
            )
            raise StoreUnavailable(str(exc)) from exc
        logger.exception("handling a message from %s failed", mask_msisdn(message.sender_id))
        REPLY_FAILURES.labels(channel=message.input_channel or UNKNOWN, cause="error").inc()
        failed = True
    if collector.messages and not failed:
        return list(collector.messages)
    if not failed and await _paused(request, message.sender_id):
        await _tell_desk(message.sender_id)  # the agents see it at once
        return []  # waiting for an agent: the bot stays silent
    await _end_turn(request, message.sender_id)
    language = reply_language(message.text or "")
    apology = domain_text(request, "utter_service_unavailable", language)
    return [*collector.messages, {"recipient_id": message.sender_id, "text": apology}]


async def _end_turn(request: Request, sender_id: str) -> None:
    """Close a turn that failed half-way with ``action_listen``, as a normal turn ends.

    Rasa keeps no event of a failed custom action; without this the next
    message would not follow an ``action_listen`` and no rule would match it,
    so the conversation could not continue normally once the part is back.
    """
    agent = request.app.ctx.agent
    try:
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.tracker_store.retrieve(sender_id)
            if tracker is not None and tracker.latest_action_name != ACTION_LISTEN_NAME:
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
                await agent.tracker_store.save(tracker)
    except Exception:
        logger.exception("could not close the failed turn of %s", mask_msisdn(sender_id))


async def _tell_desk(sender_id: str) -> None:
    """Note the customer's message on the open case (``bot.handoff.customer_messages``)."""
    try:
        handover = services.channel_services().handover
        if handover is not None:
            await handover().seen(sender_id)
    except Exception:
        logger.exception("could not tell the desk about %s's message", mask_msisdn(sender_id))


async def _paused(request: Request, sender_id: str) -> bool:
    tracker_store = request.app.ctx.agent.tracker_store
    try:
        tracker = await tracker_store.retrieve(sender_id)
    except Exception:
        logger.exception("could not read the tracker of %s", mask_msisdn(sender_id))
        return False
    return bool(tracker and tracker.is_paused())
