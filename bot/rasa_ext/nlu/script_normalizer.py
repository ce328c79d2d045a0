"""NLU component, first in the pipeline: Traditional Chinese is read as Simplified.

Every later component (tokenizer, featurisers, classifiers, entity extractors) sees
the Simplified text, so a customer who writes Traditional is understood exactly as
one who writes Simplified. The message keeps its original text in the tracker, from
which the replies take their script (``bot.rasa_ext.nlg``).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.script import TRADITIONAL, detect_script, to_simplified
from bot.rasa_ext.nlu.stateless import StatelessComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class ChineseScriptNormalizer(StatelessComponent):
    """Converts Traditional text to Simplified before the tokenizer."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Read every message written in Traditional characters as Simplified."""
        for message in messages:
            text = message.get(TEXT) or ""
            if detect_script(text) == TRADITIONAL:
                message.set(TEXT, to_simplified(text))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Traditional training examples are learnt in Simplified too."""
        for example in training_data.training_examples:
            text = example.get(TEXT)
            if text and detect_script(text) == TRADITIONAL:
                example.set(TEXT, to_simplified(text))
        return training_data
