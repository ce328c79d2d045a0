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
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.domain.account_intents import action_of
from bot.domain.digressions import PENDING_QUESTIONS
from bot.domain.requests import COMBINED_SEPARATOR, parts
from bot.rasa_ext.answers.base import AnswerPolicy, asked_before, latest_intent

# Actions Rasa runs by itself after a message, before any policy's choice.
_AUTOMATIC = frozenset({ACTION_LISTEN_NAME, "action_extract_slots"})


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


def done_since_message(tracker: DialogueStateTracker) -> list[str]:
    """The actions run since the customer's latest message, in order."""
    done: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name not in _AUTOMATIC:
            done.append(str(event.action_name))
    return done[::-1]


def next_step(tracker: DialogueStateTracker) -> str | None:
    """The next action of the plan, listening once it is done; None without a plan or
    when the conversation left it (a form took over, a handoff paused it)."""
    steps = plan(tracker)
    if not steps:
        return None
    done = done_since_message(tracker)
    if done != steps[: len(done)]:
        return None
    return steps[len(done)] if len(done) < len(steps) else ACTION_LISTEN_NAME


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class MultiRequestPolicy(AnswerPolicy):
    """Answers each part of a combined intent in turn, then the form or listening."""

    def answer(self, tracker: DialogueStateTracker) -> str | None:
        return next_step(tracker)

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """The plan's next step (listening included), whatever ran just before."""
        return next_step(tracker)
