"""The domain directory read as one domain (``bot/domain/files.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

from bot.domain.files import load_domain

ROOT = Path(__file__).resolve().parents[2]


def test_the_files_merge_as_rasa_merges_them() -> None:
    ours = load_domain(ROOT / "domain")
    rasa = Domain.load(str(ROOT / "domain"))
    assert set(ours["responses"]) == set(rasa.responses)
    named = {i if isinstance(i, str) else next(iter(i)) for i in ours["intents"]}
    assert named == set(rasa.intents) - {"session_start", "restart", "nlu_fallback", "back"}
    assert set(ours["actions"]) <= set(rasa.action_names_or_texts)
    assert set(ours["slots"]) == {slot.name for slot in rasa.slots} - {
        "requested_slot",
        "session_started_metadata",
    }
    assert set(ours["forms"]) == set(rasa.form_names)


def test_each_journey_file_names_only_its_own_part() -> None:
    core = load_domain(ROOT / "domain" / "_core.yml")
    assert {"session_config", "slots", "forms", "entities"} <= set(core)
    assert "responses" not in core
    telegram = load_domain(ROOT / "domain" / "telegram.yml")
    assert all(name.startswith("utter_telegram_") for name in telegram["responses"])


def test_a_response_defined_twice_is_refused(tmp_path: Path) -> None:
    for name in ("a.yml", "b.yml"):
        (tmp_path / name).write_text("responses:\n  utter_x:\n  - text: hi\n", encoding="utf-8")
    with pytest.raises(ValueError, match="utter_x"):
        load_domain(tmp_path)


def test_a_single_file_still_reads(tmp_path: Path) -> None:
    (tmp_path / "domain.yml").write_text("intents:\n  - greet\n", encoding="utf-8")
    assert load_domain(tmp_path / "domain.yml") == {"intents": ["greet"]}
