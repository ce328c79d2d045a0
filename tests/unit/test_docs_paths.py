"""Every repository path that ``README.md`` and ``docs/*.md`` name in backticks exists.

A path is a backticked word that starts with one of the checkout's top-level folders
(``bot/channels/sms/shaping.py``, ``tests/loopback/``); globs (``test_*.py``) and
braces (``bot/console/{web,access}/``) must match something. What the running system
makes (models, ``var/``) is listed in ``GENERATED``.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP = (
    "actions",
    "benchmarks",
    "bot",
    "data",
    "deploy",
    "docs",
    "models",
    "results",
    "scripts",
    "tests",
    "tools",
    "var",
)
# Made by running the project (or by its operator), not kept in the checkout.
GENERATED = (
    "var/",  # logs, databases, secrets
    "models/current.tar.gz",  # scripts/install trains it
    "models/default-config.tar.gz",  # scripts/benchmark.py trains it
    "models/without-whole-messages.tar.gz",  # scripts/nlu_cost.py trains it
    "deploy/.env",  # the compose deployment's secrets, written by whoever deploys
)
_CODE = re.compile(r"`([^`\s]+)`")
_PATH = re.compile(rf"(?:{'|'.join(TOP)})/[\w./*{{}},-]*")
_BRACES = re.compile(r"\{([^{}]*)\}")


def expand(path: str) -> list[str]:
    """``a/{b,c}/d`` as ``a/b/d`` and ``a/c/d``."""
    parts = _BRACES.split(path)
    choices = [p.split(",") if i % 2 else [p] for i, p in enumerate(parts)]
    return ["".join(combo) for combo in itertools.product(*choices)]


def named_paths(text: str) -> list[str]:
    """The repository paths named in backticks (a trailing ``:line`` or dot dropped)."""
    found = []
    for code in _CODE.findall(text):
        match = _PATH.fullmatch(code.split(":")[0].rstrip(".,"))
        if match:
            found.append(match.group(0))
    return found


def exists(path: str) -> bool:
    if path.startswith(GENERATED):
        return True
    if any(ch in path for ch in "*?["):
        return any(ROOT.glob(path.rstrip("/")))
    return (ROOT / path).exists()


def mentions() -> list[tuple[str, str]]:
    return sorted(
        {
            (doc.name, path)
            for doc in DOCUMENTS
            for named in named_paths(doc.read_text(encoding="utf-8"))
            for path in expand(named)
        }
    )


def test_the_documents_name_paths() -> None:
    assert len(mentions()) > 100


@pytest.mark.parametrize(("document", "path"), mentions(), ids=lambda v: str(v))
def test_named_path_exists(document: str, path: str) -> None:
    assert exists(path), f"{document} names {path}, which is not in the checkout"


def test_the_extraction() -> None:
    text = (
        "see `bot/console/{web,access}/`, `tests/unit/test_x.py:12`, `var/state.db`, "
        "`TELEGRAM_MODE`, `scripts/run --once`, `tuning/graph.py` and `docs/a.md`."
    )
    assert named_paths(text) == [
        "bot/console/{web,access}/",
        "tests/unit/test_x.py",
        "var/state.db",
        "docs/a.md",
    ]
    assert expand("bot/console/{web,access}/") == ["bot/console/web/", "bot/console/access/"]
    assert not exists("bot/no_such_module.py")
    assert exists("var/anything.db") and exists("tests/unit/test_docs_*.py")
