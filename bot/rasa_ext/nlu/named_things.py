"""NLU component: what a message names settles what the classifier half reads.

Runs after the intent classifier. The words a message names come from the lexicons the
actions use (``bot/domain/catalogue.py``, ``notice_words.py``, ``elsewhere.py``):

- a value-added service named with reminder or display words ("取消来电提醒", "cancel
  caller ID display") is a service: turning it off is an unsubscribe (confirmed first),
  asking about it a question about the customer's services, never the assistant's own
  notices;
- "stop the ringtone service" is an unsubscribe, not "stop what we are doing";
- a plan question about another operator, a balance question about another wallet
  is out of scope: never answered with ours.

The confidence stays the classifier's, so an unsure reading is still asked about first.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.domain.catalogue import talks_of_a_service
from bot.domain.elsewhere import about_something_else
from bot.domain.notice_words import kinds_named
from bot.rasa_ext.nlu.stateless import StatelessComponent

_ABOUT_A_SERVICE = {
    "notice_opt_out": "unsubscribe",
    "stop": "unsubscribe",
    "notice_status": "list_subscriptions",
}


def resolved(intent: str, text: str) -> str:
    """The intent once the things ``text`` names are taken into account."""
    if intent in _ABOUT_A_SERVICE and talks_of_a_service(text) and not kinds_named(text):
        return _ABOUT_A_SERVICE[intent]
    if about_something_else(intent, text):
        return "out_of_scope"
    return intent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NamedThingsResolver(StatelessComponent):
    """Renames the predicted intent where the message names a value-added service, or
    another operator or wallet."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get("name")
            if not name:
                continue
            meant = resolved(str(name), message.get(TEXT) or "")
            if meant == name:
                continue
            top = {"name": meant, "confidence": intent.get("confidence", 0.0)}
            ranking = message.get(INTENT_RANKING_KEY) or []
            message.set(INTENT, top, add_to_output=True)
            others = [r for r in ranking if r.get("name") not in (meant, name)]
            message.set(INTENT_RANKING_KEY, [top, *others], add_to_output=True)
        return messages
