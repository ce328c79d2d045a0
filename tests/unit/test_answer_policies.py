"""Answers to questions no rule can follow: ratings in words, a typed yes or no."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.answers.base import AnswerPolicy
from bot.rasa_ext.answers.did_you_mean import DidYouMeanPolicy
from bot.rasa_ext.answers.rating import RatingAnswerPolicy
from bot.rasa_ext.answers.requests import MultiRequestPolicy

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def project_domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


def bot_message(name: str) -> BotUttered:
    """The domain's response (its first, Chinese variation) as the bot sent it."""
    variation = project_domain().responses[name][0]
    return BotUttered(variation["text"], data={"buttons": variation["buttons"]})


@pytest.fixture(scope="module")
def domain() -> Domain:
    return project_domain()


def made(policy_class: type[AnswerPolicy], tmp_path: Path) -> AnswerPolicy:
    return policy_class.create(
        policy_class.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource(policy_class.__name__),
        ExecutionContext(GraphSchema({}), "test"),
    )


@pytest.fixture
def policy(tmp_path: Path) -> AnswerPolicy:
    return made(RatingAnswerPolicy, tmp_path)


@pytest.fixture
def did_you_mean(tmp_path: Path) -> AnswerPolicy:
    return made(DidYouMeanPolicy, tmp_path)


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
        bot_message("utter_back_with_bot"),
        *after,
    ]
    return DialogueStateTracker.from_events("c1", events)


def predicted(policy: AnswerPolicy, tracker: DialogueStateTracker, domain: Domain) -> str:
    prediction = policy.predict_action_probabilities(tracker, domain)
    if not any(prediction.probabilities):
        return "nothing"
    return domain.action_names_or_texts[int(np.argmax(prediction.probabilities))]


def balance_asked_then(message: UserUttered) -> list[Event]:
    """Another question answered first, then ``message``: no longer an answer."""
    asked = said("查余额", "check_balance")
    return [asked, ActionExecuted("action_check_balance"), ActionExecuted("action_listen"), message]


def answered_then_listening(
    policy: AnswerPolicy, tracker: DialogueStateTracker, domain: Domain
) -> str:
    """The action predicted for the latest message; after it runs, listening."""
    action = predicted(policy, tracker, domain)
    tracker.update(ActionExecuted(action))
    assert predicted(policy, tracker, domain) == "action_listen"
    return action


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("還好啦", "nlu_fallback"),
        ("ok", "affirm"),
        ("terrible experience", "out_of_scope"),
        ("五颗星", "rate_service"),
        ("very satisfied, thanks", "thank"),
        ("great service", "file_complaint"),
        ("服务太差", "file_complaint"),
    ],
)
def test_a_rating_in_words_after_the_prompt_is_stored(
    policy: AnswerPolicy, domain: Domain, text: str, intent: str
) -> None:
    tracker = handed_back(said(text, intent))
    assert answered_then_listening(policy, tracker, domain) == "action_store_rating"


def test_a_request_after_the_prompt_is_left_to_the_other_policies(
    policy: AnswerPolicy, domain: Domain
) -> None:
    tracker = handed_back(said("余额还好吗", "check_balance"))
    assert predicted(policy, tracker, domain) == "nothing"


def test_a_complaint_that_tells_a_story_is_a_complaint(
    policy: AnswerPolicy, domain: Domain
) -> None:
    text = "服务太差了，那个客服态度很不好，宽带还是没修好，我要投诉"
    assert predicted(policy, handed_back(said(text, "file_complaint")), domain) == "nothing"


def test_words_without_a_rating_are_left_alone(policy: AnswerPolicy, domain: Domain) -> None:
    assert predicted(policy, handed_back(said("hmm", "nlu_fallback")), domain) == "nothing"


def test_only_the_message_right_after_the_prompt(policy: AnswerPolicy, domain: Domain) -> None:
    tracker = handed_back(*balance_asked_then(said("ok", "affirm")))
    assert predicted(policy, tracker, domain) == "nothing"


def test_no_prompt_no_rating(policy: AnswerPolicy, domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events(
        "c2", [ActionExecuted("action_listen"), said("great", "express_affection")]
    )
    assert predicted(policy, tracker, domain) == "nothing"


def asked_about_the_bill(*after: Event) -> DialogueStateTracker:
    events: list[Event] = [
        ActionExecuted("action_listen"),
        said("10月那张单呢", "check_bill"),
        ActionExecuted("action_check_bill"),
        bot_message("utter_did_you_mean_check_bill"),
        ActionExecuted("action_listen"),
        *after,
    ]
    return DialogueStateTracker.from_events("c3", events)


@pytest.mark.parametrize(
    ("text", "intent", "answer"),
    [
        ("是", "affirm", "action_check_bill"),
        ("yes pls", "affirm", "action_check_bill"),
        ("不是", "deny", "utter_out_of_scope"),
    ],
)
def test_a_typed_yes_or_no_is_the_button(
    did_you_mean: AnswerPolicy, domain: Domain, text: str, intent: str, answer: str
) -> None:
    tracker = asked_about_the_bill(said(text, intent))
    assert answered_then_listening(did_you_mean, tracker, domain) == answer


def test_anything_else_is_left_to_the_other_policies(
    did_you_mean: AnswerPolicy, domain: Domain
) -> None:
    tracker = asked_about_the_bill(said("查余额", "check_balance"))
    assert predicted(did_you_mean, tracker, domain) == "nothing"
    later = asked_about_the_bill(*balance_asked_then(said("好的", "affirm")))
    assert predicted(did_you_mean, later, domain) == "nothing"


@pytest.fixture
def multi(tmp_path: Path) -> AnswerPolicy:
    return made(MultiRequestPolicy, tmp_path)


def steps_of(
    policy: AnswerPolicy, events: list[Event], domain: Domain, limit: int = 6
) -> list[str]:
    """The actions the policy predicts one after the other, each run as predicted."""
    tracker = DialogueStateTracker.from_events("c", events)
    run: list[str] = []
    while len(run) < limit:
        action = predicted(policy, tracker, domain)
        run.append(action)
        if action in ("action_listen", "nothing"):
            break
        tracker.update(ActionExecuted(action))
    return run


def test_two_requests_are_answered_in_the_order_asked(multi: AnswerPolicy, domain: Domain) -> None:
    events: list[Event] = [
        ActionExecuted("action_listen"),
        said("余额和流量", "check_balance+check_usage"),
        ActionExecuted("action_extract_slots"),
    ]
    assert steps_of(multi, events, domain) == [
        "action_check_balance",
        "action_check_usage",
        "action_listen",
    ]
    events[1] = said("bill, then a cheaper plan", "check_bill+recommend_plan")
    assert steps_of(multi, events, domain)[:2] == ["action_check_bill", "action_recommend_plan"]


def test_inside_a_form_the_form_asks_again(multi: AnswerPolicy, domain: Domain) -> None:
    events: list[Event] = [
        ActionExecuted("action_listen"),
        said("我要投诉", "file_complaint"),
        ActionExecuted("complaint_form"),
        ActiveLoop("complaint_form"),
        ActionExecuted("action_listen"),
        said("先查下余额和账单", "check_balance+check_bill"),
    ]
    assert steps_of(multi, events, domain) == [
        "action_check_balance",
        "action_check_bill",
        "complaint_form",
        "action_listen",
    ]


def test_one_request_is_left_to_the_rules(multi: AnswerPolicy, domain: Domain) -> None:
    events: list[Event] = [ActionExecuted("action_listen"), said("余额", "check_balance")]
    assert steps_of(multi, events, domain) == ["nothing"]
