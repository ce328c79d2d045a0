"""Dependencies flow down: no module below the roots imports a root.

The roots build and hand down (``bot.wiring``'s builders, ``bot.bootstrap``, the side
processes' roots) or start a process; what Rasa makes itself reads the bundle from
``bot.services``, the one accessor. Every module of ``bot`` and ``actions`` is imported
(so none does work or fails at import) and its source read with ``ast``: an import of a
root anywhere in it, at the top or inside a function, fails the test.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import actions
import bot

ROOTS = frozenset(
    {
        # what builds: the builders and the bootstraps
        "bot.wiring",
        "bot.bootstrap",
        "bot.console.wiring",
        "bot.telegram_bridge.wiring",
        "bot.notices.wiring",
        # what starts a process (and so may ask a root for its dependencies)
        "bot.rasa_ext.server",
        "bot.rasa_ext.action_server",
        "bot.cli",
        "bot.console.serve",
        "bot.console.access.admin",  # the console's accounts CLI
        "bot.telegram_bridge.app",
        "bot.notices.process",
    }
)


# Known exceptions, each with its reason (strict: an entry fails once it is fixed and must go).
KNOWN: dict[str, str] = {}


def modules_below_the_roots() -> list[str]:
    """Every module of ``bot`` and ``actions`` that is not a root."""
    found = [package.__name__ for package in (bot, actions)]
    for package in (bot, actions):
        prefix = f"{package.__name__}."
        found += [info.name for info in pkgutil.walk_packages(package.__path__, prefix)]
    return sorted(set(found) - ROOTS)


def imported_names(source: str, module: str, is_package: bool) -> set[str]:
    """The modules ``source`` imports anywhere, with ``from a import b`` also as ``a.b``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the module's package
                parts = module.split(".")
                anchor = parts[: len(parts) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def roots_imported(names: set[str]) -> set[str]:
    """The roots among ``names`` (a root's submodule counts as the root)."""
    return {name for name in names if any(name == r or name.startswith(f"{r}.") for r in ROOTS)}


def test_the_scanner_sees_every_form_of_import() -> None:
    source = """
import bot.wiring
from bot import bootstrap
from bot.console.wiring import console_services
def later():
    from ...notices import wiring
"""
    names = imported_names(source, "bot.channels.sms.input", is_package=False)
    assert roots_imported(names) == {
        "bot.wiring",
        "bot.bootstrap",
        "bot.console.wiring",
        "bot.console.wiring.console_services",
        "bot.notices.wiring",
    }


def test_relative_imports_resolve_against_the_package() -> None:
    assert roots_imported(imported_names("from ..notices import wiring", "bot.x.y", False)) == {
        "bot.notices.wiring"
    }
    assert roots_imported(imported_names("from . import wiring", "bot", True)) == {"bot.wiring"}
    assert roots_imported(imported_names("from bot import services", "bot.x", False)) == set()


def test_every_root_exists() -> None:
    for root in sorted(ROOTS):
        assert importlib.util.find_spec(root) is not None, f"{root} is listed but gone"


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN[name], strict=True))
        if name in KNOWN
        else name
        for name in modules_below_the_roots()
    ],
)
def test_no_module_below_the_roots_imports_one(module: str) -> None:
    loaded = importlib.import_module(module)  # nothing fails (or runs) at import
    path = Path(loaded.__file__ or "")
    names = imported_names(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
    assert not roots_imported(names), (
        f"{module} imports a root ({', '.join(sorted(roots_imported(names)))}): take the "
        "dependency as an argument, or read the process's bundle from bot.services"
    )
