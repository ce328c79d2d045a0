"""Run-time fixes to Rasa 3.6, measured with py-spy under load: the one shim of patches.

What Rasa lets the project plug in is an extension named in ``config.yml``
(``bot.rasa_ext.tuning.policies``: the policies and their featurizer). What Rasa
offers no extension point for is patched here (the only other patch, the tracker
store's failsafe, is not a speed-up: see below): each ``Patch`` names
its target (a module or class and an attribute), the replacement and why no
extension point fits; ``tune_rasa`` saves each original, checks that the installed
Rasa is the one the patches were written and tested against (``RASA_VERSION``),
and ``RASA_TUNING=off`` runs stock Rasa. ``uninstall`` puts the originals back.

Every fix here is a speed-up that returns what Rasa's own code returns. What changes
what customers get is not here: the tracker store's failsafe (``bot.rasa_ext.failsafe``)
is installed by the Rasa entry point whatever ``RASA_TUNING`` says.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import rasa

from bot.rasa_ext.tuning import heap
from bot.rasa_ext.tuning.setting import (
    RASA_VERSION,
    SETTING,
    WITHOUT,
    left_out,
    pinned_rasa,
    tuning_enabled,
)

logger = logging.getLogger(__name__)


class TuningError(RuntimeError):
    """A patch's target is missing from Rasa: the patch would silently do nothing."""


@dataclass(frozen=True)
class Patch:
    """One replaced attribute of Rasa."""

    owner: type | ModuleType
    name: str
    make: Callable[[Any], Any]  # the saved original -> the replacement
    why_no_extension: str

    @property
    def target(self) -> str:
        owner = self.owner
        where = owner.__name__ if isinstance(owner, ModuleType) else owner.__qualname__
        module = "" if isinstance(owner, ModuleType) else f"{owner.__module__}."
        return f"{module}{where}.{self.name}"

    def current(self) -> Any:
        """The attribute as it is now (descriptors such as ``staticmethod`` included)."""
        if isinstance(self.owner, ModuleType):
            return getattr(self.owner, self.name)
        return self.owner.__dict__[self.name]


@dataclass(frozen=True)
class _Installed:
    original: Any
    replacement: Any


_INSTALLED: dict[str, _Installed] = {}  # by target


def patches() -> list[Patch]:
    """Every patch, in the order they are installed."""
    from bot.rasa_ext.tuning.registry import PATCHES

    return list(PATCHES)


def _check(patch: Patch) -> None:
    owner = patch.owner
    if isinstance(owner, ModuleType):
        found = hasattr(owner, patch.name)
    else:
        found = patch.name in owner.__dict__
    if not found:
        raise TuningError(
            f"rasa {rasa.__version__} has no {patch.target}: the fix for it cannot be "
            "installed (update bot/rasa_ext/tuning/registry.py)"
        )


def tune_rasa(environ: Mapping[str, str] | None = None) -> bool:
    """Install every patch (idempotent); whether they are installed.

    Installs nothing, saying why in one log line, when ``RASA_TUNING=off`` or when the
    installed Rasa is not ``RASA_VERSION``; leaves out those ``RASA_TUNING_WITHOUT``
    names. Raises ``TuningError`` if a target is missing or a name unknown.
    """
    if not tuning_enabled(environ):
        logger.info("%s=off: run-time fixes not installed, running stock Rasa", SETTING)
        return False
    if not pinned_rasa():
        logger.warning(
            "rasa %s is not %s: run-time fixes not installed, running stock Rasa",
            rasa.__version__,
            RASA_VERSION,
        )
        return False
    skipped = left_out(environ)
    unknown = skipped - {patch.name for patch in patches()} - {heap.NAME}
    if unknown:
        raise TuningError(f"{WITHOUT}: no patch named {', '.join(sorted(unknown))}")
    chosen = [patch for patch in patches() if patch.name not in skipped]
    if skipped:
        logger.warning("%s: patches left out: %s", WITHOUT, ", ".join(sorted(skipped)))
    for patch in chosen:
        _check(patch)
    for patch in chosen:
        if patch.target in _INSTALLED:
            continue
        original = patch.current()
        replacement = patch.make(original)
        setattr(patch.owner, patch.name, replacement)
        _INSTALLED[patch.target] = _Installed(original, replacement)
    return True


def uninstall() -> None:
    """Put every saved original back (the tests' way back to stock Rasa)."""
    for patch in reversed(patches()):
        installed = _INSTALLED.pop(patch.target, None)
        if installed is not None:
            setattr(patch.owner, patch.name, installed.original)


def installed(patch: Patch) -> bool:
    """Whether ``patch`` is installed now."""
    return patch.target in _INSTALLED


def replacement(patch: Patch) -> Any:
    """What ``tune_rasa`` put in place of ``patch``'s target."""
    return _INSTALLED[patch.target].replacement


def original(owner: type | ModuleType, name: str) -> Any:
    """Rasa's own attribute: the saved original when patched, else the attribute itself."""
    for patch in patches():
        if patch.owner is owner and patch.name == name:
            if patch.target in _INSTALLED:
                return _unwrap(_INSTALLED[patch.target].original)
            return _unwrap(patch.current())
    raise KeyError(f"no patch of {name} on {owner!r}")


def _unwrap(value: Any) -> Any:
    return value.__func__ if isinstance(value, (staticmethod, classmethod)) else value


__all__ = [
    "RASA_VERSION",
    "SETTING",
    "Patch",
    "TuningError",
    "installed",
    "original",
    "patches",
    "replacement",
    "tune_rasa",
    "uninstall",
]
