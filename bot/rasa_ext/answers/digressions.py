"""Dialogue policy: a question asked in passing is answered, then the bot asks its own
question again (``bot/domain/digressions.py`` declares which questions, where, and how).

While a form waits for a slot, the form runs first; when it rejects the message (the
customer asked something else), the answer follows and then the form, which asks its
question again. After a confirmation question (plan change, unsubscribe, data pack, a
complaint's summary) the answer follows at once and then the action that asks again
from the proposal on the server. One policy instead of a rule for every pair of
question and context.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecutionRejected, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.domain.digressions import ANSWERS, FORMS, INFORMATIONAL_INTENTS, PENDING_QUESTIONS
from bot.rasa_ext.answers.base import AnswerPolicy, asked_before, latest_intent
from bot.rasa_ext.answers.requests import done_since_message


def form_rejected(tracker: DialogueStateTracker, form: str) -> bool:
    """Whether ``form`` rejected the customer's latest message (it filled no slot)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecutionRejected) and event.action_name == form:
            return True
    return False


def resume_after(tracker: DialogueStateTracker, intent: str) -> str | None:
    """What asks the pending question again after answering ``intent`` in passing; None
    when nothing is pending or ``intent`` may not be asked there."""
    form = tracker.active_loop_name
    if form in FORMS:
        return form if intent in INFORMATIONAL_INTENTS and form_rejected(tracker, form) else None
    if form:
        return None
    pending = PENDING_QUESTIONS.get(asked_before(tracker) or "")
    return pending.ask_again if pending is not None and intent in pending.allowed else None


def next_step(tracker: DialogueStateTracker) -> str | None:
    """The answer, then the question again, then listening; None outside a digression or
    once the conversation left it (a handoff paused it, another action ran)."""
    intent = latest_intent(tracker)
    if intent is None or intent not in ANSWERS:
        return None
    resume = resume_after(tracker, intent)
    if resume is None:
        return None
    steps = [ANSWERS[intent], resume]
    done = done_since_message(tracker)
    if done != steps[: len(done)]:
        return None
    return steps[len(done)] if len(done) < len(steps) else ACTION_LISTEN_NAME


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class DigressionPolicy(AnswerPolicy):
    """Answers a question asked in passing, then asks the pending question again."""

    def answer(self, tracker: DialogueStateTracker) -> str | None:
        return next_step(tracker)

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """The digression's next step (listening included), whatever ran just before."""
        return next_step(tracker)
