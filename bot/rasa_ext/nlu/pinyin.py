"""NLU component: the sound of a Chinese message, for slips of voice input and shorthand.

Speech-to-text writes a wrong character with the right sound ("于额" for 余额, "化费"
for 话费, "留量" for 流量), and customers type pinyin initials as shorthand ("cx ye" for
查询余额, "hf" for 话费). Character n-grams miss both. This component (after the
tokenizer, before ``NgramIntentClassifier``) adds features of the sound: toneless
syllable pairs (``py:yu_e``) and initial pairs (``pi:y_e``) of every run of Chinese
characters, and initial pairs of short Latin shorthand tokens. They are kept with their
place in the text, so the classifier can read them for each part of a message too.
The syllables are pypinyin's, read through ``compact_pinyin`` (its phrases in a trie).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.compact_pinyin import compact_pinyin, lazy_syllables
from bot.rasa_ext.nlu.stateless import StatelessComponent

# The message attribute: (start, end, feature) triples.
PINYIN = "pinyin_features"

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Shorthand: two Latin letters, or up to four without a vowel ("hf", "cx", "ye", "cxll").
_SHORTHAND = re.compile(r"(?<![A-Za-z])(?:[A-Za-z]{2}|[b-df-hj-np-tv-z]{3,4})(?![A-Za-z])", re.I)

Feature = tuple[int, int, str]


@functools.lru_cache(maxsize=65536)
def _syllables(run: str) -> tuple[str, ...]:
    return tuple(lazy_syllables(run))


def pinyin_features(text: str) -> list[Feature]:
    """The sound features of ``text`` (Simplified or Traditional), with their places."""
    return sound_features(text, _syllables)


def sound_features(text: str, syllables_of: Callable[[str], Sequence[str]]) -> list[Feature]:
    """The sound features of ``text``, with ``syllables_of`` each run of Chinese characters."""
    found: list[Feature] = []
    for match in _CJK_RUN.finditer(text):
        syllables = syllables_of(match.group())
        if len(syllables) != len(match.group()):
            continue  # pypinyin joined or split characters: no reliable places
        start = match.start()
        for i in range(len(syllables) - 1):
            first, second = syllables[i], syllables[i + 1]
            found.append((start + i, start + i + 2, f"py:{first}_{second}"))
            found.append((start + i, start + i + 2, f"pi:{first[0]}_{second[0]}"))
    for match in _SHORTHAND.finditer(text):
        letters = match.group().lower()
        for i in range(len(letters) - 1):
            found.append((match.start(), match.end(), f"pi:{letters[i]}_{letters[i + 1]}"))
    return found


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class PinyinAnnotator(StatelessComponent):
    """Sets ``pinyin_features`` on every message (and every training example)."""

    def __init__(self) -> None:
        super().__init__()
        compact_pinyin()  # pypinyin's phrases loaded now, not for the first message

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            message.set(PINYIN, pinyin_features(message.get(TEXT) or ""))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
