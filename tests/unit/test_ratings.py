"""Ratings in the customer's own words: scores on their scale, verdicts longest first."""

from __future__ import annotations

import pytest

from bot.domain.ratings import NEUTRAL, SATISFIED, UNSATISFIED, rating_from_text


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("5 stars", SATISFIED),
        ("pretty good, 4 out of 5", SATISFIED),
        ("10/10", SATISFIED),
        ("rate: 3", NEUTRAL),
        ("2/5", UNSATISFIED),
        ("1 star, useless", UNSATISFIED),
        ("给10分", SATISFIED),
        ("打6分", NEUTRAL),
        ("五颗星", SATISFIED),
        ("三星", NEUTRAL),
        ("好差，一粒星", UNSATISFIED),
        ("普普通通，三顆星", NEUTRAL),
        ("服务很普通，给两颗星", UNSATISFIED),
        ("服務態度唔錯，俾你五粒星", SATISFIED),
    ],
)
def test_a_score_counts_on_its_scale(text: str, rating: str) -> None:
    assert rating_from_text(text) == rating


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("very satisfied", SATISFIED),
        ("excellent, very happy", SATISFIED),
        ("not happy with the service", UNSATISFIED),
        ("not bad", NEUTRAL),
        ("meh", NEUTRAL),
        ("terrible experience", UNSATISFIED),
        ("it was ok i guess", NEUTRAL),
        ("非常满意", SATISFIED),
        ("不满意", UNSATISFIED),
        ("唔滿意", UNSATISFIED),
        ("一般般", NEUTRAL),
        ("還好啦", NEUTRAL),
        ("给个好评", SATISFIED),
        ("負評", UNSATISFIED),
    ],
)
def test_verdicts_and_their_negations(text: str, rating: str) -> None:
    assert rating_from_text(text) == rating


@pytest.mark.parametrize("text", ["", None, "hello", "your bill is 58", "the okra", "11/10"])
def test_no_rating_where_there_is_none(text: str | None) -> None:
    assert rating_from_text(text) is None
