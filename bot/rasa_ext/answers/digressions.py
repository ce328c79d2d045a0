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
from rasa.shared.core.events import ActionExecutionRejected, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.domain.digressions import ANSWERS, FORMS, INFORMATIONAL_INTENTS, PENDING_QUESTIONS
from bot.rasa_ext.answers.base import PlanPolicy, asked_before, latest_intent


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


def digression(tracker: DialogueStateTracker) -> list[str]:
    """The answer, then what asks the question again; none outside a digression."""
    intent = latest_intent(tracker)
    if intent is None or intent not in ANSWERS:
        return []
    resume = resume_after(tracker, intent)
    return [ANSWERS[intent], resume] if resume is not None else []


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class DigressionPolicy(PlanPolicy):
    """Answers a question asked in passing, then asks the pending question again."""

    def plan(self, tracker: DialogueStateTracker) -> list[str]:
        return digression(tracker)
