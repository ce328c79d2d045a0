"""Journey 7 and fallbacks: hand the conversation to a person and pause the bot."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    EventList,
    ServiceAction,
    conversation_language,
    customer_number,
    previous_action,
)
from actions.desk_hours import closed_notice
from actions.identity import client_address
from actions.sales import SALES_ACTION
from bot.domain.ids import CHANNELS, belongs_to
from bot.domain.numbers import mask_msisdn, mask_numbers
from bot.handoff.queue import Handoff, HandoffLimitReached, HandoffReason
from bot.handoff.staffing import DeskState
from bot.services import Services, settings

logger = logging.getLogger(__name__)

FALLBACK_ACTION = "action_fallback"
NOT_AN_ANSWER = frozenset({"action_listen", "action_extract_slots", None})
FALLBACKS_BEFORE_HANDOFF = 2
FRESH_START_EVENTS = frozenset({"resume", "pause", "session_started", "restart"})


def reply_channel(tracker: Tracker) -> str | None:
    """The channel agent replies would go to: the latest message's, if this conversation
    is one of that channel's (None otherwise: a forged or unknown channel).

    A web-chat conversation must carry the MAC the web-chat channel issued it with.
    """
    channel = tracker.get_latest_input_channel()
    if channel is None or channel not in CHANNELS:
        return None
    if not belongs_to(channel, tracker.sender_id, settings().identity_secret):
        return None
    return channel


async def queue_handoff(
    services: Services,
    tracker: Tracker,
    msisdn: str | None,
    reason: HandoffReason,
    detail: str | None = None,
) -> Handoff | None:
    """Record the case for the agents' queue (one open case per conversation, and a few
    per client address where the channel signed one: else ``HandoffLimitReached``).

    None, and no case, when the conversation's channel is not one agent replies
    can be delivered on (see ``reply_channel``).
    """
    channel = reply_channel(tracker)
    if channel is None:
        logger.warning(
            "no handoff case for conversation %s: channel %.32r is not its channel",
            mask_numbers(tracker.sender_id[:128]),
            tracker.get_latest_input_channel(),
        )
        return None
    case = await services.handoff.create(
        conversation_id=tracker.sender_id,
        msisdn=msisdn,
        channel=channel,
        language=conversation_language(tracker),
        reason=reason,
        detail=detail,
        client=client_address(tracker),
    )
    logger.info(
        "handoff case %s queued for %s (%s)", case.id, mask_msisdn(msisdn or ""), reason.value
    )
    return case


class ActionHandoff(ServiceAction):
    """The customer asked for a person."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        # A "yes" to the offer of a person after a sales question is a sales case.
        reason = (
            HandoffReason.SALES
            if previous_action(tracker) == SALES_ACTION
            else HandoffReason.CUSTOMER_REQUEST
        )
        return await handoff(self.services, dispatcher, tracker, reason, "utter_handoff", domain)


async def handoff(
    services: Services,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reason: HandoffReason,
    response: str,
    domain: DomainDict,
) -> EventList:
    """Queue the case, tell the customer, pause the conversation (if a case was queued).

    Outside business hours, or with no agent available, the customer is told when someone
    will answer instead of ``response`` (``actions.desk_hours``)."""
    try:
        msisdn = await customer_number(services, tracker)
        case = await queue_handoff(services, tracker, msisdn, reason)
    except HandoffLimitReached:
        logger.warning("handoff refused: the client address has its open cases already")
        dispatcher.utter_message(response="utter_handoff_limit")
        return []
    except Exception:
        logger.exception("could not queue a handoff")
        case = None
    if case is None:
        dispatcher.utter_message(response="utter_service_unavailable")
        return []
    state = await desk_state(services)
    if state is not None and not state.answering:
        # Closed or nobody available: the case waits for the morning, the customer is told
        # when; the wait notice is given (so a call-back request is heard: ``desk_rasa``).
        closed_notice(dispatcher, domain, conversation_language(tracker), state)
        await services.handoff.mark_wait_notice(case.id)
        return [ConversationPaused()]
    dispatcher.utter_message(response=response)
    return [ConversationPaused()]


async def desk_state(services: Services) -> DeskState | None:
    """Hours and presence now (None: not configured, or unreadable: then the bot hands
    over as it always did)."""
    if services.desk is None:
        return None
    try:
        return await services.desk.state()
    except Exception:
        logger.exception("could not read the desk's hours and presence")
        return None


class ActionFallback(ServiceAction):
    """Out of scope or not understood: the menu; the second time in a row, a person."""

    def name(self) -> str:
        return FALLBACK_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        if consecutive_fallbacks(tracker) >= FALLBACKS_BEFORE_HANDOFF:
            return await handoff(
                self.services,
                dispatcher,
                tracker,
                HandoffReason.REPEATED_FALLBACK,
                "utter_handoff_after_fallbacks",
                domain,
            )
        dispatcher.utter_message(response="utter_out_of_scope")
        return []


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many fallbacks in a row, this one included.

    Earlier messages count when the bot answered them with this fallback (an
    off-topic answer that a form took does not count). The count starts
    afresh after a handoff ends or a session starts.
    """
    count = 1
    answered_by: str | None = None
    seen_current = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind in FRESH_START_EVENTS:
            break
        if kind == "action" and event.get("name") not in NOT_AN_ANSWER:
            answered_by = event.get("name")  # ends as the first action after the message
        elif kind == "user":
            if seen_current and answered_by != FALLBACK_ACTION:
                break
            count += 1 if seen_current else 0
            seen_current = True
            answered_by = None
    return count
