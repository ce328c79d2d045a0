"""Labelled review items as Rasa NLU training data (``data/nlu/review_<date>.yml``).

The next ``scripts/run`` sees a changed ``data/nlu`` (the model's fingerprint) and
retrains. Texts keep their masked numbers: no customer's number reaches training data.
A customer's text is written as it came, except that square brackets become full-width
ones: Rasa reads ``[text](entity)``, ``[text]{...}`` and ``[text][...]`` in an example as
entity annotation, so a customer's SMS could break ``rasa train`` or plant entity
examples. The file is read back with Rasa's own reader before it is written: every
example must come back as written, with no entity.
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


# Rasa's annotation opens with "[": full-width brackets read the same to a customer and
# mean nothing to Rasa's reader.
_NO_ANNOTATION = str.maketrans({"[": "［", "]": "］"})


class ExportError(Exception):
    """The exported file would not read back as written."""


def _example(text: str) -> str:
    return " ".join(text.split()).translate(_NO_ANNOTATION)


def nlu_yaml(items: Iterable[ReviewItem]) -> str:
    """Rasa NLU YAML: one ``- intent:`` per label (sorted), its examples in first-seen order,
    each example once."""
    by_intent: dict[str, list[str]] = {}
    for item in items:
        if not item.label:
            continue
        examples = by_intent.setdefault(item.label, [])
        text = _example(item.text)
        if text and text not in examples:
            examples.append(text)
    nlu = [
        {"intent": intent, "examples": _Literal("".join(f"- {text}\n" for text in examples))}
        for intent, examples in sorted(by_intent.items())
        if examples
    ]
    document = {"version": NLU_VERSION, "nlu": nlu}
    written = yaml.dump(
        document, Dumper=_NluDumper, allow_unicode=True, sort_keys=False, width=1000
    ).replace("version: '3.1'", 'version: "3.1"')
    _read_back(written, by_intent)
    return written


def _read_back(written: str, by_intent: dict[str, list[str]]) -> None:
    """Rasa's reader must give back every example as written, with no entity."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    try:
        data = RasaYAMLReader().reads(written)
    except Exception as exc:  # Rasa raises its own errors for malformed examples
        raise ExportError(f"Rasa cannot read the export: {exc}") from exc
    read: dict[str, list[str]] = {}
    for message in data.intent_examples:
        if message.get("entities"):
            raise ExportError(f"an example reads as an entity annotation: {message.get('text')!r}")
        read.setdefault(str(message.get("intent")), []).append(str(message.get("text")))
    expected = {intent: texts for intent, texts in by_intent.items() if texts}
    if read != expected:
        raise ExportError("the export does not read back as written")


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
