"""Dialogue policy: two requests in one message are answered one after the other.

The intent classifier names a message that asks two account questions with a combined
intent, ``check_balance+check_usage`` (``bot/domain/requests.py``). This policy answers
each part with its own action, in the order asked, then runs the active form again (so
it asks its pending question), asks a pending confirmation again when every part may be
asked there (``bot/domain/digressions.py``), or listens. One policy instead of a rule per
pair and per form.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker

from bot.domain.account_intents import action_of
from bot.domain.digressions import PENDING_QUESTIONS
from bot.domain.requests import COMBINED_SEPARATOR, parts
from bot.rasa_ext.answers.base import PlanPolicy, asked_before, latest_intent


def plan(tracker: DialogueStateTracker) -> list[str]:
    """The actions that answer the latest message, if it asks several things."""
    intent = latest_intent(tracker)
    if not intent or COMBINED_SEPARATOR not in intent:
        return []
    asked = parts(intent)
    steps = [action_of(part) for part in asked]
    loop = tracker.active_loop_name
    if loop:
        return [*steps, loop]
    pending = PENDING_QUESTIONS.get(asked_before(tracker) or "")
    if pending is not None and all(part in pending.allowed for part in asked):
        return [*steps, pending.ask_again]
    return steps


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class MultiRequestPolicy(PlanPolicy):
    """Answers each part of a combined intent in turn, then the form or listening."""

    def plan(self, tracker: DialogueStateTracker) -> list[str]:
        return plan(tracker)
