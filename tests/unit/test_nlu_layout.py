"""Training data by intent and script (docs/nlu.md, "Where a new example goes").

Every file of ``data/nlu`` is ``<intent>/<script>.yml``, ``_combined/<script>.yml`` (two
requests in one message, intents named ``first+second``) or a shared file of regexes,
lookups or synonyms under ``_shared/``; its blocks are that folder's intent, each with its
``origin`` metadata, and every example is written in the file's script.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.domain.script import SIMPLIFIED, TRADITIONAL, detect_script

ROOT = Path(__file__).resolve().parents[2]
NLU = ROOT / "data" / "nlu"
SCRIPTS = ("en", "zh_hans", "zh_hant")
SHARED = "_shared"
COMBINED = "_combined"
SHARED_KINDS = {"regex", "lookup", "synonym"}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def script_fits(text: str, script: str) -> bool:
    """English has no Chinese character; Chinese is in its script when the characters say."""
    if not _CJK.search(text):
        return script == "en"
    found = detect_script(text)
    if script == "zh_hans":
        return found != TRADITIONAL
    return script == "zh_hant" and found != SIMPLIFIED


def training_files() -> list[Path]:
    return sorted(NLU.rglob("*.yml"))


def test_the_rule_for_scripts() -> None:
    assert script_fits("how much data is left", "en")
    assert script_fits("查一下余额", "zh_hans") and not script_fits("查一下余额", "zh_hant")
    assert script_fits("查一下餘額", "zh_hant") and not script_fits("查一下餘額", "zh_hans")
    assert script_fits("套餐", "zh_hans") and script_fits("套餐", "zh_hant")  # either script
    assert not script_fits("our 物业 is slow", "en")  # a Chinese word makes it Chinese


def test_every_file_is_an_intent_and_a_script() -> None:
    misplaced = []
    for path in training_files():
        parts = path.relative_to(NLU).parts
        if len(parts) != 2 or (parts[0] != SHARED and path.stem not in SCRIPTS):
            misplaced.append("/".join(parts))
    assert misplaced == []
    assert len(training_files()) > 90


@pytest.mark.parametrize("path", training_files(), ids=lambda p: str(p.relative_to(NLU)))
def test_blocks_are_the_folders_intent_with_origin_in_script(path: Path) -> None:
    folder = path.parent.name
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    assert blocks, "an empty file"
    problems = []
    for block in blocks:
        if folder == SHARED:
            if not SHARED_KINDS & set(block):
                problems.append(f"not a regex, lookup or synonym: {block}")
            continue
        intent = str(block.get("intent"))
        if intent != folder and not (folder == COMBINED and "+" in intent):
            problems.append(f"intent {block.get('intent')} in the folder {folder}")
        if not (block.get("metadata") or {}).get("origin"):
            problems.append(f"a block of {folder} without its origin")
        for line in str(block["examples"]).splitlines():
            text = line.strip().removeprefix("- ")
            if text and not script_fits(text, path.stem):
                problems.append(f"not {path.stem}: {text}")
    assert problems == []
