"""Dialogue policy: an answer in words to the satisfaction prompt is taken as the rating.

When an agent resolves a case, the desk appends the prompt "how was the service?" with
three rating buttons to the conversation (``bot.handoff.desk_rasa``). That prompt is a
bot message, not an action, so no rule can follow it. Customers often answer it in
words the intent classifier reads as something else: "ok" (affirm), "terrible
experience" (out of scope), "還好啦" (a fallback). This policy sees the pending prompt
in the tracker: when the customer's next message carries a rating
(``bot.domain.ratings``) and its intent is feedback or small talk (or a complaint of a
few words: a verdict), not a request, it predicts ``action_store_rating`` (and then
listening), above the rule policy.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.trackers import DialogueStateTracker

from bot.domain.ratings import rating_from_text
from bot.rasa_ext.answers.base import AnswerPolicy, latest_intent, pending_payloads

STORE_RATING = "action_store_rating"
RATING_PAYLOAD = "/rate_service"
# Intents of a message that may be a rating in words; a request ("查余额", a complaint)
# is answered as such, and the prompt is simply left unanswered.
FEEDBACK_INTENTS = frozenset(
    {
        "rate_service",
        "affirm",
        "deny",
        "thank",
        "express_affection",
        "goodbye",
        "out_of_scope",
        "nlu_fallback",
    }
)


# A short verdict ("great service", "服务太差") is read as a complaint as often as not;
# right after the prompt it is the rating. A longer message describes a problem.
COMPLAINT = "file_complaint"
VERDICT_WORDS = 4
VERDICT_CHARACTERS = 8


def is_verdict(text: str) -> bool:
    """A few words (or Chinese characters), not a story."""
    words = text.split()
    cjk = sum("\u3400" <= c <= "\u9fff" for c in text)
    return len(words) <= VERDICT_WORDS and cjk <= VERDICT_CHARACTERS


def rating_prompt_pending(tracker: DialogueStateTracker) -> bool:
    """Whether the bot's messages since the customer's previous one include the prompt."""
    return any(p.startswith(RATING_PAYLOAD) for p in pending_payloads(tracker))


def answers_rating_prompt(tracker: DialogueStateTracker) -> bool:
    """The latest message is a rating in words given right after the prompt."""
    message = tracker.latest_message
    if message is None:
        return False
    intent = latest_intent(tracker)
    text = message.text or ""
    feedback = intent in FEEDBACK_INTENTS or (intent == COMPLAINT and is_verdict(text))
    # cheapest first: this runs at every prediction of every message
    return feedback and rating_prompt_pending(tracker) and rating_from_text(text) is not None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class RatingAnswerPolicy(AnswerPolicy):
    """Predicts ``action_store_rating`` for a rating in words after the prompt."""

    def answer(self, tracker: DialogueStateTracker) -> str | None:
        return STORE_RATING if answers_rating_prompt(tracker) else None
