"""``bot/domain`` depends on nothing of the project outside itself, and on no framework.

Every module is parsed (not imported), so an import hidden in a function or under
``TYPE_CHECKING`` counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "bot" / "domain"
FRAMEWORKS = frozenset({"rasa", "rasa_sdk", "sqlalchemy", "sanic", "httpx", "alembic", "telegram"})


def imported_modules(source: str) -> list[str]:
    """Every absolute module name that ``source`` imports (relative imports as ``.name``)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
    return names


def forbidden(module: str) -> bool:
    """Whether the domain may not import ``module``."""
    top = module.split(".")[0]
    if top == "bot":
        return not (module == "bot.domain" or module.startswith("bot.domain."))
    return top in FRAMEWORKS


def domain_modules() -> list[Path]:
    return sorted(DOMAIN.rglob("*.py"))


def test_the_domain_has_modules() -> None:
    assert len(domain_modules()) > 10


@pytest.mark.parametrize("path", domain_modules(), ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_module_imports_only_the_domain(path: Path) -> None:
    bad = [m for m in imported_modules(path.read_text(encoding="utf-8")) if forbidden(m)]
    assert bad == [], f"{path.name} imports {bad}"


def test_the_check_catches_what_it_is_for() -> None:
    source = (
        "import sqlalchemy as sa\n"
        "from bot.billing.port import Plan\n"
        "from bot.domain.numbers import is_msisdn\n"
        "import re\n"
        "def f():\n"
        "    from rasa_sdk.types import DomainDict\n"
        "    import sanic.response\n"
    )
    found = [m for m in imported_modules(source) if forbidden(m)]
    assert found == ["sqlalchemy", "bot.billing.port", "rasa_sdk.types", "sanic.response"]
    assert not forbidden("bot.domain")
    assert forbidden("bot.domainish")
