"""Dialogue policy: the customer's answer to a confirmation question (plan change,
unsubscribe, data pack; ``bot/domain/confirmations.py``).

Once a flow's question is asked (first, again, or as a follow-up of another action), the
bot listens; straight after the question a yes runs the flow's confirmation and a no or
stop its cancellation. One policy instead of a rule for every
flow, question and answer; the actions still check, on the server, that the yes
follows the question and names the pending proposal.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from bot.domain.confirmations import CANCELLING_INTENTS, CONFIRMATIONS, CONFIRMING_INTENTS
from bot.domain.requests import COMBINED_SEPARATOR
from bot.rasa_ext.answers.base import AnswerPolicy, asked_before, latest_intent

QUESTIONS = frozenset(asked for flow in CONFIRMATIONS for asked in flow.asked_by)


def answer_to(asked: str | None, intent: str | None) -> str | None:
    """The action ``intent`` stands for right after the action ``asked``; None if none."""
    for flow in CONFIRMATIONS:
        if asked in flow.asked_by:
            if intent in CONFIRMING_INTENTS:
                return flow.confirm
            if intent in CANCELLING_INTENTS:
                return flow.cancel
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class ConfirmationPolicy(AnswerPolicy):
    """A yes, no or stop straight after a confirmation question: the flow's action."""

    def answer(self, tracker: DialogueStateTracker) -> str | None:
        if tracker.active_loop_name:
            return None
        return answer_to(asked_before(tracker), latest_intent(tracker))

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """Listening once a question is asked (two requests in one message excepted: their
        plan goes on), else the answer's action and then listening."""
        intent = latest_intent(tracker) or ""
        if (
            tracker.latest_action_name in QUESTIONS
            and not tracker.active_loop_name
            and COMBINED_SEPARATOR not in intent
        ):
            return ACTION_LISTEN_NAME
        return super().next_action(tracker)
