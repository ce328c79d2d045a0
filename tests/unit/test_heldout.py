"""Held-out sets kept apart from training: a sentence in both is found after normalising."""

from __future__ import annotations

from pathlib import Path

from tools.heldout import Example, drop_from_training, leaks, normalise, overlaps

ROOT = Path(__file__).resolve().parents[2]


def test_sentences_are_compared_after_normalising() -> None:
    same = ["查餘額！", "查余额", "  查 余 额 ", "查余额。", "[查余额](language)"]
    assert {normalise(s) for s in same} == {"查余额"}
    assert normalise("Ｈｅｌｌｏ,  World!") == normalise("hello world")
    assert normalise("balance?") != normalise("balances")


def test_an_overlap_names_both_sentences() -> None:
    trained = [
        Example("How much DATA is left?", "check_usage", Path("data/nlu/check_usage/en.yml"))
    ]
    held = [
        Example("how much data is left", "check_usage", Path("tests/x/en.yml")),
        Example("how much data did I use", "check_usage", Path("tests/x/en.yml")),
    ]
    assert overlaps(trained, held) == [(held[0], trained[0])]


def test_punctuation_alone_is_no_sentence() -> None:
    trained = [Example("?", "out_of_scope", Path("a.yml"))]
    assert overlaps(trained, [Example("!", "out_of_scope", Path("b.yml"))]) == []


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_leaked_sentences_leave_training_and_the_heldout_set_stays(tmp_path: Path) -> None:
    heldout = 'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - Hi!\n'
    write(tmp_path / "tests/nlu_honest/en.yml", heldout)
    write(
        tmp_path / "data/nlu/greet/en.yml",
        'version: "3.1"\n# greetings\nnlu:\n'
        "- intent: greet\n  metadata:\n    origin: inbox\n  examples: |\n    - hi\n\n"
        "- intent: greet\n  metadata:\n    origin: everyday\n  examples: |\n    - hello there\n",
    )
    write(
        tmp_path / "data/nlu/greet/zh_hans.yml",
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - 嗨\n',
    )
    assert len(leaks(tmp_path)) == 1
    assert drop_from_training(tmp_path) == 1
    assert leaks(tmp_path) == []
    assert (tmp_path / "tests/nlu_honest/en.yml").read_text(encoding="utf-8") == heldout
    kept = (tmp_path / "data/nlu/greet/en.yml").read_text(encoding="utf-8")
    # the emptied block goes with its origin metadata; the other origin's block stays
    assert "origin: inbox" not in kept and "# greetings" in kept
    assert "- intent: greet\n  metadata:\n    origin: everyday\n" in kept
    assert "- hello there" in kept
    assert "- 嗨" in (tmp_path / "data/nlu/greet/zh_hans.yml").read_text(encoding="utf-8")


def test_no_heldout_sentence_of_this_project_is_trained_on() -> None:
    assert [(h.text, str(t.path)) for h, t in leaks(ROOT)] == []
