"""Intent classifier: logistic regression on word, character n-gram and pattern counts.

It learns what Rasa's ``CountVectorsFeaturizer`` (words; ``char_wb`` 1-4), the
``RegexFeaturizer`` and the ``LogisticRegressionClassifier`` learn together, but it
predicts in plain Python and numpy: the n-grams of a message are looked up in the
vocabulary and their weights summed, with no sparse matrices built per message. In
the benchmark this took Rasa's NLU from about a quarter of the server's CPU per
message to a few percent (docs/performance.md, "Where the time went").

Two regressions share the features and their probabilities are averaged (``blend``):
one on raw counts (C=1), one on sublinear tf-idf vectors of unit length (C=30). The
first trusts frequent cue words, the second rare, telling ones ("landlord", "房东")
whatever the message's length; on the held-out sets the average was level with or above
either alone (docs/nlu.md, "Pipeline").

The model is stored as JSON (vocabulary, intents, patterns) and ``.npy`` arrays
(weights, idf): nothing is unpickled when a model is loaded.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression

from bot.domain import requests
from bot.rasa_ext.nlu.pinyin import PINYIN

# A phone or account number says nothing of the request ("查一下18888888888的账单" is no
# "88", bye-bye): it is read as one digit.
_LONG_NUMBER = re.compile(r"\d{5,}")


def _char_analyzer(min_n: int, max_n: int) -> Callable[[str], list[str]]:
    """scikit-learn's own ``char_wb`` analyzer (n-grams inside word boundaries)."""
    analyzer = CountVectorizer(analyzer="char_wb", ngram_range=(min_n, max_n), lowercase=True)
    return analyzer.build_analyzer()  # type: ignore[no-any-return]


class NgramFeatures:
    """Turns a message into named features: ``w:`` words, ``c:`` n-grams, ``r:`` patterns."""

    def __init__(self, min_n: int, max_n: int, patterns: dict[str, str]) -> None:
        self._chars = _char_analyzer(min_n, max_n)
        self.patterns = patterns
        self._compiled = {name: re.compile(p, re.IGNORECASE) for name, p in patterns.items()}

    def __call__(self, message: Message) -> list[str]:
        tokens = [token.text for token in message.get(TOKENS_NAMES[TEXT]) or []]
        sounds = [feature for _, _, feature in message.get(PINYIN) or []]
        return self.of(message.get(TEXT) or "", tokens, sounds)

    def of(self, text: str, tokens: list[str], sounds: list[str] | None = None) -> list[str]:
        """The features of ``text`` cut into ``tokens`` (its words when there are none),
        with the sound features ``PinyinAnnotator`` found in it."""
        words = [_LONG_NUMBER.sub("0", t.lower()) for t in tokens] or text.lower().split()
        found = [f"w:{word}" for word in words]
        found += [f"c:{gram}" for gram in self._chars(" ".join(words))]
        found += [f"r:{name}" for name, rx in self._compiled.items() if rx.search(text)]
        return found + list(sounds or ())


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class NgramIntentClassifier(GraphComponent, IntentClassifier):
    """Predicts the intent, with a ranking, from n-gram counts."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "min_ngram": 1,
            "max_ngram": 4,
            "max_iter": 500,
            "C": 1.0,
            # weight of the count model; 1.0 leaves the tf-idf model out
            "blend": 1.0,
            # read each part of a message too: two requests, a ruled-out one, a wrapped one
            # (bot/domain/requests.py)
            "split_requests": False,
            "tfidf_C": 30.0,
            "ranking_length": 10,
        }

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self._features = NgramFeatures(self.config["min_ngram"], self.config["max_ngram"], {})
        self._vocabulary: dict[str, int] = {}
        self._intents: list[str] = []
        self._weights = np.zeros((0, 0))  # features x intents
        self._bias = np.zeros(0)
        # the tf-idf model: idf per feature, its own weights and bias (empty: not used)
        self._idf = np.zeros(0)
        self._tfidf_weights = np.zeros((0, 0))
        self._tfidf_bias = np.zeros(0)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NgramIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the vocabulary and the regression on the intent examples."""
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        patterns = {p["name"]: p["pattern"] for p in training_data.regex_features}
        self._features = NgramFeatures(self.config["min_ngram"], self.config["max_ngram"], patterns)
        if not examples:
            return self._resource
        vectorizer = CountVectorizer(analyzer=self._features)
        counts = vectorizer.fit_transform(examples)
        intents = [m.get(INTENT) for m in examples]
        model = self._regression(self.config["C"]).fit(counts, intents)
        self._vocabulary = {name: int(i) for name, i in vectorizer.vocabulary_.items()}
        self._intents = [str(intent) for intent in model.classes_]
        self._weights, self._bias = _multiclass(model.coef_, model.intercept_)
        if self.config["blend"] < 1.0:
            tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
            second = self._regression(self.config["tfidf_C"]).fit(tfidf.transform(counts), intents)
            self._idf = np.asarray(tfidf.idf_, dtype=np.float64)
            self._tfidf_weights, self._tfidf_bias = _multiclass(second.coef_, second.intercept_)
        self._persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        """Set ``intent`` and ``intent_ranking`` on each message."""
        for message in messages:
            if not self._intents:
                continue
            ranking = self.rank(message)
            if self.config["split_requests"]:
                ranking = self._whole_message(message, ranking)
            message.set(INTENT, ranking[0], add_to_output=True)
            shown = ranking[: self.config["ranking_length"] or None]
            message.set(INTENT_RANKING_KEY, shown, add_to_output=True)
        return messages

    def _whole_message(
        self, message: Message, ranking: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """The ranking with what the message's parts ask first, if they ask something the
        whole message's reading misses (``bot/domain/requests.py``)."""
        text = message.get(TEXT) or ""
        spans = requests.segments(text)
        if len(spans) < 2:
            return ranking
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        sounds = message.get(PINYIN) or []
        readings = []
        for span in spans:
            words = [t.text for t in tokens if t.start < span.end and t.end > span.start]
            heard = [f for start, end, f in sounds if start >= span.start and end <= span.end]
            part = text[span.start : span.end]
            intent, confidence = self._best(self._features.of(part, words, heard))
            negated = requests.rules_out(part, intent)
            keeps = requests.keeps(part)
            readings.append(requests.Reading(intent, confidence, negated, keeps))
        whole = requests.Reading(ranking[0]["name"], ranking[0]["confidence"])
        decided = requests.decide(whole, readings)
        if decided is None or decided.intent == whole.intent:
            return ranking
        first = {"name": decided.intent, "confidence": decided.confidence}
        # The rest stays in order below it (a ranking read out of order looks ambiguous).
        rest = [
            {"name": r["name"], "confidence": min(r["confidence"], decided.confidence)}
            for r in ranking
            if r["name"] != decided.intent
        ]
        return [first, *rest]

    def _best(self, features: list[str]) -> tuple[str, float]:
        probabilities = self._probabilities_of(features)
        best = int(np.argmax(probabilities))
        return self._intents[best], float(probabilities[best])

    def probabilities(self, message: Message) -> np.ndarray:
        """The probability of every intent (in ``self._intents`` order)."""
        return self._probabilities_of(self._features(message))

    def _probabilities_of(self, features: list[str]) -> np.ndarray:
        counts = Counter(self._vocabulary[f] for f in features if f in self._vocabulary)
        rows = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        probabilities = _softmax(self._bias + values @ self._weights[rows])
        if not self._idf.size:
            return probabilities
        tfidf = (1.0 + np.log(values)) * self._idf[rows]  # sublinear tf, as trained
        norm = float(np.sqrt(tfidf @ tfidf))
        if norm:
            tfidf = tfidf / norm
        second = _softmax(self._tfidf_bias + tfidf @ self._tfidf_weights[rows])
        blend = float(self.config["blend"])
        return blend * probabilities + (1.0 - blend) * second  # type: ignore[no-any-return]

    def _regression(self, c: float) -> LogisticRegression:
        return LogisticRegression(C=c, max_iter=self.config["max_iter"], random_state=42)

    def rank(self, message: Message) -> list[dict[str, Any]]:
        """Intents with their confidence, most likely first."""
        probabilities = self.probabilities(message)
        order = np.argsort(-probabilities, kind="stable")
        return [{"name": self._intents[i], "confidence": float(probabilities[i])} for i in order]

    def _persist(self) -> None:
        with self._storage.write_to(self._resource) as directory:
            model = {
                "vocabulary": self._vocabulary,
                "intents": self._intents,
                "patterns": self._features.patterns,
            }
            (directory / "model.json").write_text(json.dumps(model, ensure_ascii=False))
            np.save(directory / "weights.npy", self._weights, allow_pickle=False)
            np.save(directory / "bias.npy", self._bias, allow_pickle=False)
            if self._idf.size:
                np.save(directory / "idf.npy", self._idf, allow_pickle=False)
                np.save(directory / "tfidf_weights.npy", self._tfidf_weights, allow_pickle=False)
                np.save(directory / "tfidf_bias.npy", self._tfidf_bias, allow_pickle=False)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> NgramIntentClassifier:
        """The trained classifier (an untrained one if nothing was stored)."""
        classifier = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                model = json.loads((directory / "model.json").read_text())
                weights = np.load(directory / "weights.npy", allow_pickle=False)
                bias = np.load(directory / "bias.npy", allow_pickle=False)
                if (directory / "idf.npy").exists():
                    classifier._idf, classifier._tfidf_weights, classifier._tfidf_bias = (
                        np.load(directory / f"{name}.npy", allow_pickle=False)
                        for name in ("idf", "tfidf_weights", "tfidf_bias")
                    )
        except ValueError:  # nothing stored: no intent examples were given
            return classifier
        classifier._vocabulary = {str(k): int(v) for k, v in model["vocabulary"].items()}
        classifier._intents = [str(intent) for intent in model["intents"]]
        conf = classifier.config
        classifier._features = NgramFeatures(
            conf["min_ngram"], conf["max_ngram"], model["patterns"]
        )
        classifier._weights, classifier._bias = weights, bias
        return classifier


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()  # type: ignore[no-any-return]


def _multiclass(coef: Any, intercept: Any) -> tuple[np.ndarray, np.ndarray]:
    """Weights as features x intents. scikit-learn's binary case has one logistic score;
    with a zero score for the first class the softmax gives the same probabilities."""
    weights = np.asarray(coef, dtype=np.float64)
    bias = np.asarray(intercept, dtype=np.float64)
    if weights.shape[0] == 1:
        weights = np.vstack([np.zeros_like(weights), weights])
        bias = np.concatenate([np.zeros(1), bias])
    return np.ascontiguousarray(weights.T), bias
