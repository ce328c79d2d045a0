"""NLU component that tags each message with its language as a ``language`` entity.

The ``language`` slot is mapped from this entity, so responses pick their
language variation before any action runs.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.domain.language import detect_language
from bot.rasa_ext.nlu.stateless import StatelessComponent

ENTITY = "language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageDetector(StatelessComponent):
    """Adds ``{"entity": "language", "value": "zh"|"en"}`` when the text decides it."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Tag every message whose language can be told from its characters."""
        for message in messages:
            text = message.get(TEXT) or ""
            language = detect_language(text)
            if language is None:
                continue
            entity = {
                "entity": ENTITY,
                "value": language,
                "start": 0,
                "end": len(text),
                "confidence": 1.0,
                "extractor": self.__class__.__name__,
            }
            message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages
