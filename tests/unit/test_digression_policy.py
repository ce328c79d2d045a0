"""Questions asked in passing: answered, then the pending question asked again
(``bot/rasa_ext/answers/digressions.py`` following ``bot/domain/digressions.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, ActiveLoop, Event

from bot.domain.confirmations import CONFIRMATIONS, Confirmation
from bot.domain.digressions import (
    ANSWERS,
    DATA_PACK_DIGRESSIONS,
    FORMS,
    INFORMATIONAL_INTENTS,
    PENDING_QUESTIONS,
)
from bot.rasa_ext.answers.base import AnswerPolicy
from bot.rasa_ext.answers.confirmations import ConfirmationPolicy
from bot.rasa_ext.answers.digressions import DigressionPolicy
from bot.rasa_ext.answers.requests import MultiRequestPolicy
from tests.unit.test_answer_policies import made, project_domain, said, steps_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return project_domain()


@pytest.fixture
def policy(tmp_path: Path) -> AnswerPolicy:
    return made(DigressionPolicy, tmp_path)


def in_form(form: str, intent: str, *, rejected: bool) -> list[Event]:
    events: list[Event] = [
        ActionExecuted("action_listen"),
        said("start", "file_complaint"),
        ActionExecuted(form),
        ActiveLoop(form),
        ActionExecuted("action_listen"),
        said("a question", intent),  # (Rasa logs no ActionExecuted for its slot extraction)
    ]
    return [*events, ActionExecutionRejected(form)] if rejected else events


def after(question: str, intent: str) -> list[Event]:
    return [
        ActionExecuted("action_listen"),
        said("start", "change_plan"),
        ActionExecuted(question),
        ActionExecuted("action_listen"),
        said("a question", intent),
    ]


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("intent", sorted(INFORMATIONAL_INTENTS))
def test_inside_a_form_the_answer_comes_once_the_form_let_the_message_go(
    policy: AnswerPolicy, domain: Domain, form: str, intent: str
) -> None:
    assert steps_of(policy, in_form(form, intent, rejected=False), domain) == ["nothing"]
    assert steps_of(policy, in_form(form, intent, rejected=True), domain) == [
        ANSWERS[intent],
        form,
        "action_listen",
    ]


@pytest.mark.parametrize("question", sorted(PENDING_QUESTIONS))
@pytest.mark.parametrize("intent", sorted(INFORMATIONAL_INTENTS))
def test_after_a_confirmation_question_it_is_asked_again(
    policy: AnswerPolicy, domain: Domain, question: str, intent: str
) -> None:
    pending = PENDING_QUESTIONS[question]
    run = steps_of(policy, after(question, intent), domain)
    if intent in pending.allowed:
        assert run == [ANSWERS[intent], pending.ask_again, "action_listen"]
    else:
        assert run == ["nothing"]


def test_the_data_pack_list_takes_only_a_few_questions_in_passing() -> None:
    narrow = {q for q, p in PENDING_QUESTIONS.items() if p.allowed != INFORMATIONAL_INTENTS}
    assert narrow == {"action_propose_data_pack", "action_reask_data_pack"}
    assert DATA_PACK_DIGRESSIONS < INFORMATIONAL_INTENTS


def test_nothing_pending_is_left_to_the_rules(policy: AnswerPolicy, domain: Domain) -> None:
    events: list[Event] = [ActionExecuted("action_listen"), said("余额", "check_balance")]
    assert steps_of(policy, events, domain) == ["nothing"]
    assert steps_of(policy, after("action_check_bill", "check_balance"), domain) == ["nothing"]


def test_a_request_that_is_no_question_in_passing_is_left_alone(
    policy: AnswerPolicy, domain: Domain
) -> None:
    assert steps_of(policy, after("action_propose_plan_change", "affirm"), domain) == ["nothing"]
    assert steps_of(policy, after("action_propose_plan_change", "stop"), domain) == ["nothing"]


def test_the_digression_ends_when_another_action_ran(policy: AnswerPolicy, domain: Domain) -> None:
    events = [*after("action_propose_unsubscribe", "check_bill"), ActionExecuted("action_handoff")]
    assert steps_of(policy, events, domain) == ["nothing"]


def test_two_questions_in_passing_then_the_confirmation_again(
    tmp_path: Path, domain: Domain
) -> None:
    multi = made(MultiRequestPolicy, tmp_path)
    events = after("action_reask_unsubscribe", "check_balance+check_bill")
    assert steps_of(multi, events, domain) == [
        "action_check_balance",
        "action_check_bill",
        "action_reask_unsubscribe",
        "action_listen",
    ]
    # A part the data pack list does not take: answered, the list not asked again.
    events = after("action_propose_data_pack", "check_balance+check_bill")
    assert steps_of(multi, events, domain) == [
        "action_check_balance",
        "action_check_bill",
        "action_listen",
    ]


def test_the_declarations_name_the_domain(domain: Domain) -> None:
    known = set(domain.action_names_or_texts)
    assert set(ANSWERS.values()) <= known
    assert set(PENDING_QUESTIONS) <= known
    assert {p.ask_again for p in PENDING_QUESTIONS.values()} <= known
    assert set(domain.form_names) == FORMS
    assert set(domain.intents) >= INFORMATIONAL_INTENTS


def test_the_policy_is_configured_and_the_rules_hold_no_digressions() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [p["name"] for p in config["policies"]]
    assert "bot.rasa_ext.answers.digressions.DigressionPolicy" in names
    assert "bot.rasa_ext.answers.confirmations.ConfirmationPolicy" in names
    rules = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    for rule in rules:
        steps = rule["steps"]
        intents = [s["intent"] for s in steps if "intent" in s]
        actions = [s["action"] for s in steps if "action" in s]
        passing = set(intents) & INFORMATIONAL_INTENTS and (
            set(actions) & (set(PENDING_QUESTIONS) | FORMS)
        )
        assert not passing, f"a digression rule is back: {rule['rule']}"
        questions = {a for f in CONFIRMATIONS for a in f.asked_by}
        first = steps[0].get("action")
        assert first not in questions, f"a confirmation rule is back: {rule['rule']}"


@pytest.fixture
def confirmations(tmp_path: Path) -> AnswerPolicy:
    return made(ConfirmationPolicy, tmp_path)


@pytest.mark.parametrize("flow", CONFIRMATIONS, ids=lambda f: f.kind)
def test_a_yes_no_or_stop_straight_after_the_question_is_the_flows(
    confirmations: AnswerPolicy, domain: Domain, flow: Confirmation
) -> None:
    for asked in sorted(flow.asked_by):
        assert steps_of(confirmations, after(asked, "affirm"), domain) == [
            flow.confirm,
            "action_listen",
        ]
        for no in ("deny", "stop"):
            assert steps_of(confirmations, after(asked, no), domain) == [
                flow.cancel,
                "action_listen",
            ]
    # Anything else, or a yes after another action, is left to the others.
    assert steps_of(confirmations, after(flow.propose, "check_bill"), domain) == ["nothing"]
    assert steps_of(confirmations, after("action_check_bill", "affirm"), domain) == ["nothing"]


def test_the_flows_name_the_domain(domain: Domain) -> None:
    known = set(domain.action_names_or_texts)
    for flow in CONFIRMATIONS:
        assert {flow.propose, flow.ask_again, flow.confirm, flow.cancel} <= known
        assert flow.cancelled in domain.responses
        assert flow.pending_slot in {slot.name for slot in domain.slots}


@pytest.mark.parametrize("flow", CONFIRMATIONS, ids=lambda f: f.kind)
def test_once_the_question_is_asked_the_bot_listens(
    confirmations: AnswerPolicy, domain: Domain, flow: Confirmation
) -> None:
    # The question as a follow-up of another action ("add a 5GB pack": the list's action
    # names the pack and hands over to the question), or asked again with new terms.
    for question in sorted(flow.asked_by):
        events: list[Event] = [
            ActionExecuted("action_listen"),
            said("add a 5GB pack", "buy_data_pack"),
            ActionExecuted("action_offer_data_packs"),
            ActionExecuted(question),
        ]
        assert steps_of(confirmations, events, domain) == ["action_listen"]
    # Two requests in one message: the plan goes on past the question.
    events = [
        ActionExecuted("action_listen"),
        said("change plan and balance", "change_plan+check_balance"),
        ActionExecuted(flow.propose),
    ]
    assert steps_of(confirmations, events, domain) == ["nothing"]
