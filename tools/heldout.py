"""Held-out NLU sets kept apart from training: the same sentence in both is a leak.

Two sentences are the same when they match after normalisation: Traditional read as
Simplified (OpenCC), full-width as half-width (NFKC), case, whitespace and punctuation
dropped, Rasa's entity annotation (``[text](entity)``, ``[text]{...}``) removed.
``scripts/check_data.py`` fails on any overlap and names the sentences.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.domain.script import to_simplified

# Every held-out folder (docs/nlu.md): the split set, two earlier sets, the development
# set (its errors are read to choose settings) and the honest set (only its figures are).
HELDOUT_DIRS = (
    "tests/nlu",
    "tests/nlu_independent",
    "tests/nlu_fresh",
    "tests/nlu_dev",
    "tests/nlu_honest",
)
TRAINING_DIR = "data/nlu"

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def normalise(text: str) -> str:
    """The comparable form of a sentence (see the module's docstring)."""
    text = _ANNOTATION.sub(r"\1", text)
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text).casefold()
    return "".join(ch for ch in text if not _ignored(ch))


def _ignored(ch: str) -> bool:
    category = unicodedata.category(ch)
    return ch.isspace() or category.startswith("P") or category.startswith("S")


@dataclass(frozen=True)
class Example:
    """One example sentence and where it is written."""

    text: str
    intent: str
    path: Path


def examples(paths: Iterable[Path]) -> Iterator[Example]:
    """The intent examples of Rasa NLU YAML files (other sections are skipped)."""
    for path in paths:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in document.get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    yield Example(line[2:].strip(), str(block["intent"]), path)


def yaml_files(root: Path, folders: Iterable[str]) -> list[Path]:
    """The ``.yml`` files under ``folders`` (those that exist), in a stable order."""
    found: list[Path] = []
    for folder in folders:
        if (root / folder).is_dir():
            found += sorted((root / folder).rglob("*.yml"))
    return found


def overlaps(
    training: Iterable[Example], heldout: Iterable[Example]
) -> list[tuple[Example, Example]]:
    """Pairs (held-out, training) of the same normalised sentence."""
    trained: dict[str, Example] = {}
    for example in training:
        if key := normalise(example.text):
            trained.setdefault(key, example)
    return [(h, trained[key]) for h in heldout if (key := normalise(h.text)) in trained]


def leaks(root: Path) -> list[tuple[Example, Example]]:
    """Every held-out sentence that is also in the project's training data."""
    training = examples(yaml_files(root, [TRAINING_DIR]))
    return overlaps(training, examples(yaml_files(root, HELDOUT_DIRS)))


_EXAMPLE_LINE = re.compile(r"^\s+- (.*)$")
# An intent block left without examples, with its ``metadata:`` (the origin) if it has one.
_EMPTY_BLOCK = re.compile(
    r"^- intent: [^\n]*\n(?:  metadata:\n(?:    [^\n]*\n)+)?  examples: \|\n(?=- |\n|\Z)",
    re.MULTILINE,
)


def drop_from_training(root: Path) -> int:
    """Remove from ``data/nlu`` every sentence a held-out set has; returns how many.

    The held-out sets stay as written. Lines are removed in place, so comments and the
    order of the files are kept; an intent block left without examples goes too.
    """
    heldout = {key for e in examples(yaml_files(root, HELDOUT_DIRS)) if (key := normalise(e.text))}
    dropped = 0
    for path in yaml_files(root, [TRAINING_DIR]):
        kept: list[str] = []
        in_examples = False
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if line.lstrip().startswith("examples:"):
                in_examples = True
            elif line.strip() and not line.startswith(" "):
                in_examples = False
            match = _EXAMPLE_LINE.match(line.rstrip("\n"))
            if in_examples and match and normalise(match.group(1)) in heldout:
                dropped += 1
                continue
            kept.append(line)
        text = _EMPTY_BLOCK.sub("", "".join(kept))
        path.write_text(text, encoding="utf-8")
    return dropped
