"""pypinyin's phrases from a trie: the very syllables and features stock pypinyin gives.

Stock pypinyin (its full dictionaries, no ``PYPINYIN_*`` variables) runs in a subprocess,
so the comparison holds whatever this process's pypinyin was told at its import.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.domain.compact_pinyin import lazy_syllables
from bot.domain.phrase_trie import (
    LEAN_ENVIRONMENT,
    CompactPhrases,
    build_trie,
    lean_pypinyin_environment,
    phrase_data_file,
)
from bot.rasa_ext.nlu.pinyin import _CJK_RUN, pinyin_features, sound_features

ROOT = Path(__file__).resolve().parents[2]
COMMON = "我你他的是了在有不这个们中国人大小上下来去说要会可以没用查话费余额流量套餐号码"
POLYPHONES = "行重长乐还得了着地都会为发调差觉血数朝传便藏弹宿和没只处好少种降量"
STOCK = (
    "import json, sys\n"
    "from pypinyin import lazy_pinyin\n"
    "print(json.dumps([lazy_pinyin(t, errors='default') for t in json.load(sys.stdin)]))"
)
# As the Rasa server starts: the environment first, pypinyin after.
LEAN = (
    "import json, os, sys\n"
    "from bot.domain.phrase_trie import lean_pypinyin_environment\n"
    "assert lean_pypinyin_environment(os.environ), 'pypinyin was imported before'\n"
    "from bot.domain.compact_pinyin import lazy_syllables\n"
    "from pypinyin.constants import PHRASES_DICT\n"
    "assert not PHRASES_DICT, 'pypinyin loaded its phrases'\n"
    "print(json.dumps([lazy_syllables(t) for t in json.load(sys.stdin)]))"
)


def example_texts() -> list[str]:
    """Every example of the training data and of the NLU test sets."""
    files = [*ROOT.glob("data/nlu/**/*.yml"), *ROOT.glob("tests/nlu_*/**/*.yml")]
    texts = []
    for path in sorted(files):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in str(block.get("examples") or "").splitlines():
                if text := line.strip().removeprefix("- "):
                    texts.append(text)
    return texts


def random_texts(count: int = 3000) -> list[str]:
    """Characters, polyphones, phrases and their beginnings, now and then with a gap."""
    rng = random.Random(20240607)
    phrases = list(build_trie(phrase_data_file()).keys())
    pieces = [
        lambda: "".join(rng.choices(COMMON + POLYPHONES, k=rng.randint(1, 4))),
        lambda: rng.choice(phrases),
        lambda: rng.choice(phrases)[: rng.randint(1, 3)],
        lambda: rng.choice(["", " ", "，", "ok", "5G"]),
    ]
    return ["".join(rng.choice(pieces)() for _ in range(rng.randint(1, 5))) for _ in range(count)]


def syllables_in(code: str, texts: list[str], environ: dict[str, str]) -> list[list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=environ,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [list(each) for each in json.loads(done.stdout)]


def without_lean(environ: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in environ.items() if not name.startswith("PYPINYIN_")}


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = example_texts() + random_texts()
    runs = {run for text in found for run in _CJK_RUN.findall(text)}
    return sorted(set(found) | runs)


@pytest.fixture(scope="module")
def stock(texts: list[str]) -> dict[str, list[str]]:
    """What stock pypinyin gives for each text."""
    found = syllables_in(STOCK, texts, without_lean(dict(os.environ)))
    return dict(zip(texts, found, strict=True))


def test_the_texts_cover_the_training_data_and_phrases(texts: list[str]) -> None:
    assert len(example_texts()) > 2000 and len(texts) > 5000


def test_syllables_are_stock_pypinyins(texts: list[str], stock: dict[str, list[str]]) -> None:
    differ = [(text, lazy_syllables(text), stock[text]) for text in texts]
    assert [each for each in differ if each[1] != each[2]][:5] == []


def test_features_are_those_of_stock_pypinyin(
    texts: list[str], stock: dict[str, list[str]]
) -> None:
    stock_features = {text: sound_features(text, stock.__getitem__) for text in texts}
    differ = [text for text in texts if pinyin_features(text) != stock_features[text]]
    assert differ[:5] == []


def test_a_lean_process_gives_the_same(texts: list[str], stock: dict[str, list[str]]) -> None:
    lean = syllables_in(LEAN, texts, without_lean(dict(os.environ)))
    assert [text for text, found in zip(texts, lean, strict=True) if found != stock[text]][:5] == []


def test_the_lean_environment() -> None:
    environ = {"PATH": "/bin"}
    assert lean_pypinyin_environment(environ) is False  # pypinyin is imported here already
    assert environ == {"PATH": "/bin", **LEAN_ENVIRONMENT}


def test_polyphones_are_read_by_the_word() -> None:
    assert lazy_syllables("银行行长很快乐") == ["yin", "hang", "hang", "zhang", "hen", "kuai", "le"]
    assert lazy_syllables("重庆 ok") == ["chong", "qing", " ok"]


def test_the_data_is_read_one_phrase_at_a_time(tmp_path: Path) -> None:
    data = tmp_path / "phrases.json"
    data.write_text(
        '{ "长大" :[["zhǎng"],["dà"]],\n"重庆":[["chóng","zhòng"],["qìng"]],"长大":[["x"],["y"]]}'
    )
    phrases = CompactPhrases(build_trie(data))
    assert phrases.readings("长大") == [["x"], ["y"]]  # a repeated phrase: the last wins
    assert phrases.readings("重庆") == [["chóng", "zhòng"], ["qìng"]]
    assert phrases.readings("长") is None and phrases.is_prefix("长") and phrases.is_phrase("长大")
    data.write_text('["长大"]')
    with pytest.raises(ValueError):
        build_trie(data)


def test_cutting_keeps_pypinyins_quirks(tmp_path: Path) -> None:
    data = tmp_path / "phrases.json"
    data.write_text(json.dumps({"中国人民": [["a"]] * 4, "人民": [["b"]] * 2, "国人": [["c"]] * 2}))
    phrases = CompactPhrases(build_trie(data))
    assert list(phrases.cut("中国人民好人民")) == ["中国人民", "好", "人民"]
    # Where the rest only begins a phrase, pypinyin's strict segmenter reads it by character
    # (not 国人 after 中): so do we.
    assert list(phrases.cut("中国人")) == ["中", "国", "人"]
    assert list(phrases.cut("中国人好")) == ["中", "国人", "好"]
