"""When the speed-ups run: the pinned Rasa, unless ``RASA_TUNING=off``.

``RASA_TUNING=off`` runs stock Rasa: ``bot.rasa_ext.tuning.tune_rasa`` installs no
patch and the project's own Rasa extensions (``policies``) run Rasa's code unchanged.
So does any Rasa other than ``RASA_VERSION``, the one every speed-up was read against.
``RASA_TUNING_WITHOUT=session,DaskGraphRunner`` leaves those patches out (to measure
what each saves: ``scripts/benchmark.py --without``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import rasa

SETTING = "RASA_TUNING"
WITHOUT = "RASA_TUNING_WITHOUT"  # patches left out, by attribute name (the benchmark's --without)
RASA_VERSION = "3.6.21"  # the pinned Rasa: every speed-up was read against its source
_OFF = frozenset({"off", "0", "false", "no"})


def tuning_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the run-time fixes are on (the default; ``RASA_TUNING=off`` is stock Rasa)."""
    value = (os.environ if environ is None else environ).get(SETTING, "on")
    return value.strip().lower() not in _OFF


def pinned_rasa() -> bool:
    """Whether the installed Rasa is ``RASA_VERSION``."""
    return rasa.__version__ == RASA_VERSION


def tuned(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the speed-ups run: switched on, on the pinned Rasa."""
    return tuning_enabled(environ) and pinned_rasa()


def left_out(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """The patches ``RASA_TUNING_WITHOUT`` leaves out (comma-separated attribute names)."""
    value = (os.environ if environ is None else environ).get(WITHOUT, "")
    return frozenset(name.strip() for name in value.split(",") if name.strip())
