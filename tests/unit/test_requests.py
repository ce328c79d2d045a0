"""Whole messages: where one request ends and the next begins, and what the message asks."""

from __future__ import annotations

import pytest

from bot.domain.files import load_domain
from bot.domain.requests import (
    COMBINED_INTENTS,
    PART_CONFIDENCE,
    Reading,
    combined,
    decide,
    keeps,
    parts,
    rules_out,
    segments,
)
from tests.conftest import DOMAIN_FILE


def pieces(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segments(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("查一下余额和流量", ["查一下余额", "流量"]),
        ("my balance, and is there a cheaper plan?", ["my balance", "is there a cheaper plan"]),
        ("how much data have I used and also my bill", ["how much data have I used", "my bill"]),
        ("餘額幾多？同埋用咗幾多數據", ["餘額幾多", "用咗幾多數據"]),
        ("余额多少", ["余额多少"]),
        ("5.5GB left?", ["5.5GB left"]),
        ("balance pls", ["balance pls"]),
    ],
)
def test_a_message_is_cut_where_a_request_may_end(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


@pytest.mark.parametrize(
    ("part", "intent", "negated"),
    [
        ("not my balance", "check_balance", True),
        ("no, don't need the bill", "check_bill", True),
        ("不查余额", "check_balance", True),
        ("不是问话费", "check_balance", True),
        ("唔係問餘額", "check_balance", True),
        ("不是流量提醒", "notice_opt_out", True),
        ("不用查流量", "check_usage", True),
        ("不要来电显示了", "unsubscribe", False),
        ("I don't need caller ID display any more", "unsubscribe", False),
        ("my balance", "check_balance", False),
        ("why is my data not working", "file_complaint", False),
        ("余额不够了吗", "check_balance", False),
    ],
)
def test_a_part_that_rules_its_request_out(part: str, intent: str, negated: bool) -> None:
    assert rules_out(part, intent) is negated


SURE = PART_CONFIDENCE + 0.2


def test_two_account_questions_are_both_asked_in_order() -> None:
    whole = Reading("check_usage", 0.5)
    readings = [Reading("check_balance", SURE), Reading("check_usage", 0.9)]
    assert decide(whole, readings) == Reading("check_balance+check_usage", SURE)
    flipped = decide(whole, readings[::-1])
    assert flipped is not None and flipped.intent == "check_usage+check_balance"


def test_the_same_question_twice_is_one_question() -> None:
    readings = [Reading("check_usage", SURE), Reading("check_usage", SURE)]
    assert decide(Reading("check_usage", 0.9), readings) is None


def test_a_part_read_without_confidence_is_not_a_request() -> None:
    readings = [Reading("check_balance", SURE), Reading("check_bill", PART_CONFIDENCE - 0.1)]
    assert decide(Reading("check_balance", 0.8), readings) is None


def test_a_complaint_with_an_account_word_is_not_split() -> None:
    readings = [
        Reading("check_bill", SURE),
        Reading("check_usage", SURE),
        Reading("file_complaint", SURE),
    ]
    assert decide(Reading("file_complaint", 0.7), readings) is None


def test_a_ruled_out_request_gives_way_to_the_other() -> None:
    readings = [Reading("check_balance", SURE, negated=True), Reading("check_usage", SURE)]
    assert decide(Reading("check_balance", 0.6), readings) == Reading("check_usage", SURE)
    service = [Reading("notice_opt_out", SURE, negated=True), Reading("unsubscribe", SURE)]
    assert decide(Reading("notice_opt_out", 0.55), service) == Reading("unsubscribe", SURE)


def test_a_request_wrapped_in_courtesies_is_that_request() -> None:
    readings = [Reading("greet", 0.9), Reading("check_bill", 0.8), Reading("thank", 0.9)]
    assert decide(Reading("greet", 0.4), readings) == Reading("check_bill", 0.8)
    # a whole reading surer than the part stands
    assert decide(Reading("file_complaint", 0.9), readings) is None


def test_general_parts_do_not_stand_for_the_message() -> None:
    readings = [Reading("out_of_scope", 0.9), Reading("ask_capabilities", 0.8)]
    assert decide(Reading("out_of_scope", 0.9), readings) is None  # "…toilet, what do i do"
    bye = [Reading("stop", 0.7), Reading("goodbye", 0.9)]
    assert decide(Reading("goodbye", 0.95), bye) is None  # "没事了，拜"


def test_out_of_scope_parts_do_not_make_a_request() -> None:
    readings = [Reading("out_of_scope", 0.9), Reading("greet", 0.9)]
    assert decide(Reading("out_of_scope", 0.8), readings) is None


def test_combined_names_and_their_parts() -> None:
    assert combined("check_bill", "recommend_plan") == "check_bill+recommend_plan"
    assert parts("check_bill+recommend_plan") == ("check_bill", "recommend_plan")
    assert parts("check_bill") == ("check_bill",)


def test_the_domain_lists_every_combined_intent_and_nothing_else() -> None:
    domain = load_domain(DOMAIN_FILE)
    listed = [i for i in domain["intents"] if "+" in str(i)]
    assert sorted(listed) == sorted(COMBINED_INTENTS)


def test_a_yes_with_a_request_is_a_yes() -> None:
    readings = [Reading("affirm", 0.9), Reading("change_plan", 0.7)]
    assert decide(Reading("affirm", 0.6), readings) is None  # "好的，帮我换"


def test_a_negated_cancellation_is_a_no() -> None:
    readings = [Reading("stop", 0.7, negated=True, keeps=True), Reading("stop", 0.3)]
    assert decide(Reading("stop", 0.72), readings) == Reading("deny", 0.72)
    assert rules_out("不用取消了", "stop") and rules_out("don't cancel it", "unsubscribe")
    assert keeps("no, don't cancel it") and not keeps("never mind, forget it")
    never_mind = [Reading("stop", 1.0), Reading("stop", 0.9)]
    assert decide(Reading("stop", 1.0), never_mind) is None


def test_a_long_message_needs_surer_parts() -> None:
    context = [Reading("greet", 0.9), Reading("out_of_scope", 0.5), Reading("thank", 0.9)] * 2
    readings = [*context, Reading("check_bill", 0.7), Reading("check_usage", 0.99)]
    assert decide(Reading("check_usage", 0.68), readings) == Reading("check_usage", 0.99)


def test_thanks_are_no_rating_and_a_half_read_yes_stays_a_yes() -> None:
    thanks = [Reading("rate_service", 0.51), Reading("thank", 0.99)]
    assert decide(Reading("thank", 0.99), thanks) is None  # "great, thank you for that"
    yes = [Reading("affirm", 0.89), Reading("change_plan", 0.67)]
    assert decide(Reading("affirm", 0.49), yes) is None  # "好的，帮我换"
