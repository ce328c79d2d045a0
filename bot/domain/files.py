"""The domain as one mapping, from ``domain/`` (one file per journey, as Rasa reads a
domain directory) or a single ``domain.yml``.

For the processes that read the responses or intents without loading Rasa (the console,
the Telegram bridge, the data checks): lists (intents, actions, entities) are joined and
mappings (responses, slots, forms) merged, as Rasa merges a directory's files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DOMAIN_PATH = Path("domain")  # relative to the repository root


def domain_files(path: Path) -> list[Path]:
    """The YAML files of a domain directory (sorted), or the file itself."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml"))
    return [path]


def load_domain(path: Path) -> dict[str, Any]:
    """Every file's content merged; a key defined twice (a response, a slot) is an error,
    as it would silently shadow the other."""
    merged: dict[str, Any] = {}
    for file in domain_files(path):
        part = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for key, value in part.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                section = merged.setdefault(key, {})
                twice = set(section) & set(value)
                if twice and key != "session_config":
                    raise ValueError(f"{file}: {key} {sorted(twice)} defined twice")
                section.update(value)
            else:
                merged[key] = value
    return merged
