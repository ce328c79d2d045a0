"""Dialogue policy: a typed yes or no to "did you mean …?" counts as its button.

An account action that is unsure of the question asks "您是想查询账单吗？" with a yes
button (the intent itself, e.g. ``/check_bill``) and a no button (``/out_of_scope``)
instead of answering (``actions/unsure.py``). A customer who types "是", "yes" or "不是"
instead of pressing a button (or replying 1 / 2 by SMS) would otherwise get "nothing to
confirm": no rule can follow a question an action asks in place of its answer. This
policy predicts the account action for an affirm and ``utter_out_of_scope`` for a deny
(then listening), above the rule policy.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker

from bot.domain.account_intents import ASK_FIRST_INTENTS, action_of
from bot.rasa_ext.answers.base import AnswerPolicy, latest_intent, pending_payloads

NO_PAYLOAD = "/out_of_scope"
NO_ANSWER = "utter_out_of_scope"


def asked_about(tracker: DialogueStateTracker) -> str | None:
    """The account intent of a "did you mean …?" the bot asked since the customer's
    previous message, if it asked one."""
    payloads = pending_payloads(tracker)
    if NO_PAYLOAD not in payloads:
        return None
    asked = [p[1:] for p in payloads if p[1:] in ASK_FIRST_INTENTS]
    return asked[0] if len(asked) == 1 else None


def answer_to(tracker: DialogueStateTracker) -> str | None:
    """The action a typed yes or no to "did you mean …?" stands for."""
    intent = latest_intent(tracker)
    if intent not in ("affirm", "deny"):
        return None
    asked = asked_about(tracker)
    if asked is None:
        return None
    return action_of(asked) if intent == "affirm" else NO_ANSWER


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class DidYouMeanPolicy(AnswerPolicy):
    """Predicts the account action for a typed yes to "did you mean …?", the out-of-scope
    reply for a no."""

    def answer(self, tracker: DialogueStateTracker) -> str | None:
        return answer_to(tracker)
