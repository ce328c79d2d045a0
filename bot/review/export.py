"""Labelled review items as Rasa NLU training data (``data/nlu/review_<date>.yml``).

The next ``scripts/run`` sees a changed ``data/nlu`` (the model's fingerprint) and
retrains. Texts keep their masked numbers: no customer's number reaches training data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.review.store import ReviewItem, ReviewStore

NLU_VERSION = "3.1"


class _Literal(str):
    """A string YAML writes as a ``|`` block."""


def _literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


class _NluDumper(yaml.SafeDumper):
    pass


_NluDumper.add_representer(_Literal, _literal)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def nlu_yaml(items: Iterable[ReviewItem]) -> str:
    """Rasa NLU YAML: one ``- intent:`` per label (sorted), its examples in first-seen order,
    each example once."""
    by_intent: dict[str, list[str]] = {}
    for item in items:
        if not item.label:
            continue
        examples = by_intent.setdefault(item.label, [])
        text = _one_line(item.text)
        if text and text not in examples:
            examples.append(text)
    nlu = [
        {"intent": intent, "examples": _Literal("".join(f"- {text}\n" for text in examples))}
        for intent, examples in sorted(by_intent.items())
        if examples
    ]
    document = {"version": NLU_VERSION, "nlu": nlu}
    return yaml.dump(
        document, Dumper=_NluDumper, allow_unicode=True, sort_keys=False, width=1000
    ).replace("version: '3.1'", 'version: "3.1"')


def export_path(directory: Path, today: dt.date) -> Path:
    """``review_<date>.yml``; ``review_<date>_2.yml`` and so on when it exists already."""
    path = directory / f"review_{today.isoformat()}.yml"
    number = 2
    while path.exists():
        path = directory / f"review_{today.isoformat()}_{number}.yml"
        number += 1
    return path


def export_labelled(store: ReviewStore, directory: Path, today: dt.date) -> tuple[Path | None, int]:
    """Write the labelled items not exported yet and mark them exported.

    Returns the file written (None when there was nothing to write) and the item count.
    """
    items = store.unexported()
    if not items:
        return None, 0
    directory.mkdir(parents=True, exist_ok=True)
    path = export_path(directory, today)
    path.write_text(nlu_yaml(items), encoding="utf-8")
    store.mark_exported(item.id for item in items)
    return path, len(items)
