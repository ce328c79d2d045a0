"""The n-gram intent classifier: scikit-learn's probabilities, computed without sklearn."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression

from bot.rasa_ext.nlu.intent_classifier import NgramFeatures, NgramIntentClassifier

EXAMPLES = {
    "check_balance": ["查余额", "我还有多少钱", "how much money do I have", "balance please"],
    "check_data": ["还剩多少流量", "流量查询", "how much data is left", "data usage"],
    "ticket_status": ["工单TK2026000001怎么样了", "status of TK2026000002", "my ticket"],
}
PATTERNS = [{"name": "ticket_id", "pattern": r"TK\d{10}"}]
UNSEEN = ["余额还有多少", "how much data have I got", "TK2026000009 进度", "hello there"]


def tokenized(texts: list[str], intent: str | None = None) -> list[Message]:
    tokenizer = JiebaTokenizer(JiebaTokenizer.get_default_config(), None, None)  # type: ignore[arg-type]
    messages = [Message(data={TEXT: t, **({INTENT: intent} if intent else {})}) for t in texts]
    tokenizer.process(messages)
    return messages


def training_data() -> TrainingData:
    examples = [m for intent, texts in EXAMPLES.items() for m in tokenized(texts, intent)]
    return TrainingData(training_examples=examples, regex_features=PATTERNS)


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def trained(storage: LocalModelStorage, **config: float) -> NgramIntentClassifier:
    resource = Resource("intents")
    classifier = NgramIntentClassifier.create(config, storage, resource, context())
    classifier.train(training_data())
    return NgramIntentClassifier.load(config, storage, resource, context())


def test_probabilities_are_scikit_learns(storage: LocalModelStorage) -> None:
    classifier = trained(storage)
    features = NgramFeatures(1, 4, {p["name"]: p["pattern"] for p in PATTERNS})
    data = training_data()
    vectorizer = CountVectorizer(analyzer=features)
    reference = LogisticRegression(C=1.0, max_iter=500, random_state=42).fit(
        vectorizer.fit_transform(data.intent_examples),
        [m.get(INTENT) for m in data.intent_examples],
    )
    for message in tokenized(UNSEEN):
        expected = reference.predict_proba(vectorizer.transform([message]))[0]
        assert np.allclose(classifier.probabilities(message), expected, atol=1e-9)


def test_blend_averages_the_count_and_tfidf_models_as_scikit_learn_does(
    storage: LocalModelStorage,
) -> None:
    classifier = trained(storage, blend=0.5, tfidf_C=30.0)
    features = NgramFeatures(1, 4, {p["name"]: p["pattern"] for p in PATTERNS})
    data = training_data()
    intents = [m.get(INTENT) for m in data.intent_examples]
    vectorizer = CountVectorizer(analyzer=features)
    counts = vectorizer.fit_transform(data.intent_examples)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    by_counts = LogisticRegression(C=1.0, max_iter=500, random_state=42).fit(counts, intents)
    by_tfidf = LogisticRegression(C=30.0, max_iter=500, random_state=42).fit(
        tfidf.transform(counts), intents
    )
    for message in tokenized([*UNSEEN, "zzz"]):
        row = vectorizer.transform([message])
        expected = (
            0.5 * by_counts.predict_proba(row)[0]
            + 0.5 * by_tfidf.predict_proba(tfidf.transform(row))[0]
        )
        assert np.allclose(classifier.probabilities(message), expected, atol=1e-9)


def test_sets_intent_and_ranking(storage: LocalModelStorage) -> None:
    classifier = trained(storage, ranking_length=2)
    messages = classifier.process(tokenized(["查余额吧", "how much data is left today"]))
    assert [m.get(INTENT)["name"] for m in messages] == ["check_balance", "check_data"]
    for message in messages:
        ranking = message.get(INTENT_RANKING_KEY)
        assert len(ranking) == 2 and ranking[0] == message.get(INTENT)
        assert ranking[0]["confidence"] >= ranking[1]["confidence"]
        assert isinstance(ranking[0]["confidence"], float)


def test_patterns_are_features() -> None:
    features = NgramFeatures(1, 2, {"ticket_id": r"TK\d{10}"})
    (message,) = tokenized(["tk2026000001 到哪了"])
    found = features(message)
    assert "r:ticket_id" in found and "c: t" in found
    assert any(f.startswith("w:") and "到" in f for f in found)


def test_two_intents_match_scikit_learn_too(storage: LocalModelStorage) -> None:
    examples = [
        *tokenized(["查余额", "balance"], "check_balance"),
        *tokenized(["流量", "data left"], "check_data"),
    ]
    resource = Resource("two")
    classifier = NgramIntentClassifier.create({}, storage, resource, context())
    classifier.train(TrainingData(training_examples=examples))
    loaded = NgramIntentClassifier.load({}, storage, resource, context())
    features = NgramFeatures(1, 4, {})
    vectorizer = CountVectorizer(analyzer=features)
    reference = LogisticRegression(max_iter=500, random_state=42).fit(
        vectorizer.fit_transform(examples), [m.get(INTENT) for m in examples]
    )
    (message,) = tokenized(["余额 data"])
    expected = reference.predict_proba(vectorizer.transform([message]))[0]
    assert np.allclose(loaded.probabilities(message), expected, atol=1e-9)


def test_untrained_leaves_messages_alone(storage: LocalModelStorage) -> None:
    resource = Resource("empty")
    classifier = NgramIntentClassifier.create({}, storage, resource, context())
    classifier.train(TrainingData())
    loaded = NgramIntentClassifier.load({}, storage, resource, context())
    (message,) = loaded.process(tokenized(["查余额"]))
    assert message.get(INTENT) is None


WHOLE = {
    "check_balance": ["查余额", "余额多少", "还有多少钱", "what's my balance", "money left"],
    "check_usage": ["查流量", "流量还剩多少", "用了多少流量", "how much data", "data used"],
    "greet": ["你好", "您好", "hello", "hi there", "good morning"],
    "thank": ["谢谢", "多谢", "thanks", "thank you", "cheers"],
}


def test_each_part_of_a_message_is_read_too(storage: LocalModelStorage) -> None:
    """Two requests: the combined intent, in order; a ruled-out one gives way; one wrapped
    in courtesies is that one (bot/domain/requests.py decides)."""
    config = {"split_requests": True, "C": 10.0}
    resource = Resource("whole")
    classifier = NgramIntentClassifier.create(config, storage, resource, context())
    examples = [m for intent, texts in WHOLE.items() for m in tokenized(texts, intent)]
    classifier.train(TrainingData(training_examples=examples))
    classifier = NgramIntentClassifier.load(config, storage, resource, context())
    expected = {
        "查余额和流量": "check_balance+check_usage",
        "how much data, and my balance": "check_usage+check_balance",
        "不是查余额，查流量": "check_usage",
        "你好，查一下余额，谢谢": "check_balance",
    }
    messages = classifier.process(tokenized(list(expected)))
    assert [m.get(INTENT)["name"] for m in messages] == list(expected.values())
    for message in messages:
        ranking = message.get(INTENT_RANKING_KEY)
        confidences = [r["confidence"] for r in ranking]
        assert confidences == sorted(confidences, reverse=True)  # never read as ambiguous


def test_a_message_of_unknown_characters_gets_the_models_prior(storage: LocalModelStorage) -> None:
    classifier = trained(storage, blend=0.5)
    (message,) = tokenized(["🙂🙂"])
    probabilities = classifier.probabilities(message)
    assert probabilities.shape == (len(EXAMPLES),) and abs(float(probabilities.sum()) - 1.0) < 1e-9
