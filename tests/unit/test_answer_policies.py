"""Answers to questions no rule can follow: ratings in words, a typed yes or no."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.answers.did_you_mean import DidYouMeanPolicy
from bot.rasa_ext.answers.rating import RatingAnswerPolicy

ROOT = Path(__file__).resolve().parents[2]
PROMPT = BotUttered(
    "人工服务已结束，您已回到智能客服小通。请为本次服务评分：",
    data={
        "buttons": [
            {"title": "满意", "payload": '/rate_service{"rating": "satisfied"}'},
            {"title": "一般", "payload": '/rate_service{"rating": "neutral"}'},
            {"title": "不满意", "payload": '/rate_service{"rating": "unsatisfied"}'},
        ]
    },
)


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def policy(tmp_path: Path) -> RatingAnswerPolicy:
    return RatingAnswerPolicy.create(
        RatingAnswerPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("rating"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def said(text: str, intent: str) -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": 0.4})


def handed_back(*after: Event) -> DialogueStateTracker:
    events: list[Event] = [
        ActionExecuted("action_listen"),
        said("转人工", "human_handoff"),
        ActionExecuted("action_handoff"),
        ConversationPaused(),
        ActionExecuted("action_listen"),
        said("快点", "out_of_scope"),
        ConversationResumed(),
        PROMPT,
        *after,
    ]
    return DialogueStateTracker.from_events("c1", events)


def predicted(policy: RatingAnswerPolicy, tracker: DialogueStateTracker, domain: Domain) -> str:
    prediction = policy.predict_action_probabilities(tracker, domain)
    if not any(prediction.probabilities):
        return "nothing"
    return domain.action_names_or_texts[int(np.argmax(prediction.probabilities))]


@pytest.mark.parametrize(
    ("text", "intent"),
    [("還好啦", "nlu_fallback"), ("ok", "affirm"), ("terrible experience", "out_of_scope"),
     ("五颗星", "rate_service"), ("very satisfied, thanks", "thank"),
     ("great service", "file_complaint"), ("服务太差", "file_complaint")],
)  # fmt: skip
def test_a_rating_in_words_after_the_prompt_is_stored(
    policy: RatingAnswerPolicy, domain: Domain, text: str, intent: str
) -> None:
    tracker = handed_back(said(text, intent))
    assert predicted(policy, tracker, domain) == "action_store_rating"
    tracker.update(ActionExecuted("action_store_rating"))
    assert predicted(policy, tracker, domain) == "action_listen"


def test_a_request_after_the_prompt_is_left_to_the_other_policies(
    policy: RatingAnswerPolicy, domain: Domain
) -> None:
    tracker = handed_back(said("余额还好吗", "check_balance"))
    assert predicted(policy, tracker, domain) == "nothing"


def test_a_complaint_that_tells_a_story_is_a_complaint(
    policy: RatingAnswerPolicy, domain: Domain
) -> None:
    text = "服务太差了，那个客服态度很不好，宽带还是没修好，我要投诉"
    assert predicted(policy, handed_back(said(text, "file_complaint")), domain) == "nothing"


def test_words_without_a_rating_are_left_alone(policy: RatingAnswerPolicy, domain: Domain) -> None:
    assert predicted(policy, handed_back(said("hmm", "nlu_fallback")), domain) == "nothing"


def test_only_the_message_right_after_the_prompt(
    policy: RatingAnswerPolicy, domain: Domain
) -> None:
    tracker = handed_back(
        said("查余额", "check_balance"),
        ActionExecuted("action_check_balance"),
        ActionExecuted("action_listen"),
        said("ok", "affirm"),
    )
    assert predicted(policy, tracker, domain) == "nothing"


def test_no_prompt_no_rating(policy: RatingAnswerPolicy, domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events(
        "c2", [ActionExecuted("action_listen"), said("great", "express_affection")]
    )
    assert predicted(policy, tracker, domain) == "nothing"


ASKED = BotUttered(
    "您是想查询账单吗？",
    data={
        "buttons": [
            {"title": "是", "payload": "/check_bill"},
            {"title": "不是", "payload": "/out_of_scope"},
        ]
    },
)


@pytest.fixture
def did_you_mean(tmp_path: Path) -> DidYouMeanPolicy:
    return DidYouMeanPolicy.create(
        DidYouMeanPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("did_you_mean"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def asked_about_the_bill(*after: Event) -> DialogueStateTracker:
    events: list[Event] = [
        ActionExecuted("action_listen"),
        said("10月那张单呢", "check_bill"),
        ActionExecuted("action_check_bill"),
        ASKED,
        ActionExecuted("action_listen"),
        *after,
    ]
    return DialogueStateTracker.from_events("c3", events)


def predicted_by(policy: DidYouMeanPolicy, tracker: DialogueStateTracker, domain: Domain) -> str:
    prediction = policy.predict_action_probabilities(tracker, domain)
    if not any(prediction.probabilities):
        return "nothing"
    return domain.action_names_or_texts[int(np.argmax(prediction.probabilities))]


@pytest.mark.parametrize(
    ("text", "intent", "answer"),
    [("是", "affirm", "action_check_bill"), ("yes pls", "affirm", "action_check_bill"),
     ("不是", "deny", "utter_out_of_scope")],
)  # fmt: skip
def test_a_typed_yes_or_no_is_the_button(
    did_you_mean: DidYouMeanPolicy, domain: Domain, text: str, intent: str, answer: str
) -> None:
    tracker = asked_about_the_bill(said(text, intent))
    assert predicted_by(did_you_mean, tracker, domain) == answer
    tracker.update(ActionExecuted(answer))
    assert predicted_by(did_you_mean, tracker, domain) == "action_listen"


def test_anything_else_is_left_to_the_other_policies(
    did_you_mean: DidYouMeanPolicy, domain: Domain
) -> None:
    tracker = asked_about_the_bill(said("查余额", "check_balance"))
    assert predicted_by(did_you_mean, tracker, domain) == "nothing"
    later = asked_about_the_bill(
        said("查余额", "check_balance"),
        ActionExecuted("action_check_balance"),
        ActionExecuted("action_listen"),
        said("好的", "affirm"),
    )
    assert predicted_by(did_you_mean, later, domain) == "nothing"
