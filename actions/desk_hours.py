"""When a person will answer: the desk closed or unstaffed, and "how long will it take?".

A customer who asks for a person outside business hours, or when no agent is available,
is told when someone will answer (``closed_notice``): their case is queued all the same.
``action_wait_time`` answers the wait question while the bot is listening (a waiting
customer's conversation is paused: the console answers them, ``bot.handoff.wait_answers``).
"""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import EventList, ServiceAction, conversation_language
from bot.handoff.desk_texts import opening_values, wait_place
from bot.handoff.estimate import Standing
from bot.handoff.staffing import DeskState

logger = logging.getLogger(__name__)


def closed_notice(
    dispatcher: CollectingDispatcher, domain: DomainDict, language: str, state: DeskState
) -> None:
    """Tell the customer when someone will answer, and offer a call-back or a message."""
    if state.within_hours:  # open, but every agent is away or signed out
        dispatcher.utter_message(response="utter_desk_unstaffed")
        return
    dispatcher.utter_message(
        response="utter_desk_closed", **opening_values(domain, language, state)
    )


class ActionWaitTime(ServiceAction):
    """ "How long will it take?": the place in the queue and an estimate, or the desk's
    state for a customer who is not waiting."""

    def name(self) -> str:
        return "action_wait_time"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventList:
        desk = self.services.desk
        if desk is None:
            dispatcher.utter_message(response="utter_wait_unknown")
            return []
        try:
            standing = await desk.standing.of_conversation(tracker.sender_id)
            state = await desk.state()
            if standing is not None:
                wait_answer(dispatcher, domain, conversation_language(tracker), standing, state)
                return []
            if not state.answering:
                language = conversation_language(tracker)
                closed = opening_values(domain, language, state)
                if state.within_hours:
                    dispatcher.utter_message(response="utter_wait_unstaffed")
                else:
                    dispatcher.utter_message(response="utter_wait_desk_closed", **closed)
                return []
            waiting, minutes = await desk.standing.waiting_now()
        except Exception:
            logger.exception("could not read the queue for the wait question")
            dispatcher.utter_message(response="utter_wait_unknown")
            return []
        if minutes is None:
            dispatcher.utter_message(response="utter_wait_no_case_no_history", waiting=waiting)
        else:
            dispatcher.utter_message(
                response="utter_wait_no_case", waiting=waiting, minutes=minutes
            )
        return []


def wait_answer(
    dispatcher: CollectingDispatcher,
    domain: DomainDict,
    language: str,
    standing: Standing,
    state: DeskState | None,
) -> None:
    """The place in the queue, with an estimate, or when the desk opens while it is closed."""
    response, values = wait_place(domain, language, standing, state)
    dispatcher.utter_message(response=response, **values)
