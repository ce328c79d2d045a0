"""``is_empty`` answers as Rasa's ``Domain.is_empty`` does."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

from bot.rasa_ext.tuning import original
from bot.rasa_ext.tuning.domain import is_empty

ROOT = Path(__file__).resolve().parents[2]
RASA_IS_EMPTY = original(Domain, "is_empty")  # Rasa's own, also while patched


@pytest.mark.parametrize(
    "domain",
    [
        Domain.empty(),
        Domain.from_dict({}),
        Domain.from_dict({"intents": ["greet"]}),
        Domain.from_dict({"responses": {"utter_hi": [{"text": "hi"}]}}),
        Domain.load(ROOT / "domain.yml"),
    ],
    ids=["empty", "from-nothing", "one-intent", "one-response", "project"],
)
def test_same_answer_as_rasa(domain: Domain) -> None:
    assert is_empty(domain) == RASA_IS_EMPTY(domain)


def test_the_project_domain_is_not_empty() -> None:
    assert is_empty(Domain.empty())
    assert not is_empty(Domain.load(ROOT / "domain.yml"))
