"""NLU component that gives exact SMS command codes their intent with full confidence.

It runs after the intent classifier and the fallback classifier, so a code is
never lost to a low-confidence guess.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.commands import SERVICE_CODE_ENTITY, parse_command
from bot.rasa_ext.nlu.stateless import StatelessComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CommandRecognizer(StatelessComponent):
    """Overrides the predicted intent of a message that is exactly a command code."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Set the intent (and the service code of ``TD <code>``) of command messages."""
        for message in messages:
            text = message.get(TEXT) or ""
            command = parse_command(text)
            if command is None:
                continue
            intent = {"name": command.intent, "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
            if command.service_code:
                entity = {
                    "entity": SERVICE_CODE_ENTITY,
                    "value": command.service_code,
                    "start": 0,
                    "end": len(text),
                    "confidence": 1.0,
                    "extractor": self.__class__.__name__,
                }
                message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing to learn: the codes are fixed."""
        return training_data
