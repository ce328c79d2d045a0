"""Labelled review items as Rasa NLU training data, placed in ``data/nlu``'s layout.

Each label's examples join ``data/nlu/<intent>/<script>.yml`` (``en``, ``zh_hans`` or
``zh_hant`` by the text's characters; docs/nlu.md) as one block with the origin
``review_<date>`` in its metadata. The next ``scripts/run`` sees a changed ``data/nlu``
(the model's fingerprint) and retrains. Texts keep their masked numbers: no customer's
number reaches training data.
A customer's text is written as it came, except that square brackets become full-width
ones: Rasa reads ``[text](entity)``, ``[text]{...}`` and ``[text][...]`` in an example as
entity annotation, so a customer's SMS could break ``rasa train`` or plant entity
examples. Each file is read back with Rasa's own reader before it is written: it must
give every example it held before plus the new ones, as written, with no entity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.domain.script import TRADITIONAL, detect_script, has_cjk
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


def script_file(text: str) -> str:
    """The layout's file name for a text's script: ``en``, ``zh_hans`` or ``zh_hant``."""
    if not has_cjk(text):
        return "en"
    return "zh_hant" if detect_script(text) == TRADITIONAL else "zh_hans"


def grouped(items: Iterable[ReviewItem]) -> dict[tuple[str, str], list[str]]:
    """The labelled examples by (intent, script file), each once, in first-seen order."""
    groups: dict[tuple[str, str], list[str]] = {}
    for item in items:
        text = _example(item.text)
        if not item.label or not text:
            continue
        examples = groups.setdefault((item.label, script_file(text)), [])
        if text not in examples:
            examples.append(text)
    return groups


def block_yaml(intent: str, origin: str, examples: list[str]) -> str:
    """One ``- intent:`` block with its origin, as the layout's files hold them."""
    block = [
        {
            "intent": intent,
            "metadata": {"origin": origin},
            "examples": _Literal("".join(f"- {text}\n" for text in examples)),
        }
    ]
    return yaml.dump(block, Dumper=_NluDumper, allow_unicode=True, sort_keys=False, width=1000)


def _new_file(intent: str, script: str) -> str:
    header = f"# {intent} ({script}); one block per origin (docs/nlu.md)."
    return f'version: "{NLU_VERSION}"\n{header}\nnlu:\n'


def examples_of(written: str) -> dict[str, list[str]]:
    """The examples Rasa's reader finds in ``written``, by intent; none may be an entity."""
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
    return read


def with_block(before: str, intent: str, origin: str, examples: list[str]) -> str:
    """``before`` (a layout file) with the block added; refused unless it reads back as
    every earlier example plus the new ones."""
    written = before.rstrip("\n") + "\n" + block_yaml(intent, origin, examples)
    expected = examples_of(before) if before.strip() else {}
    expected[intent] = [*expected.get(intent, []), *examples]
    if examples_of(written) != expected:
        raise ExportError("the export does not read back as written")
    return written


def export_labelled(store: ReviewStore, directory: Path, today: dt.date) -> tuple[list[Path], int]:
    """Add the labelled items not exported yet to the layout and mark them exported.

    Returns the files written (none when there was nothing to write) and the item count.
    Every file is checked before any is written.
    """
    items = store.unexported()
    groups = grouped(items)
    if not groups:
        return [], 0
    origin = f"review_{today.isoformat()}"
    contents: dict[Path, str] = {}
    for (intent, script), examples in sorted(groups.items()):
        path = directory / intent / f"{script}.yml"
        before = path.read_text(encoding="utf-8") if path.exists() else _new_file(intent, script)
        contents[path] = with_block(before, intent, origin, examples)
    for path, text in contents.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    store.mark_exported(item.id for item in items)
    return sorted(contents), len(items)
