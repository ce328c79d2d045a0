"""The one setting that runs stock Rasa: ``RASA_TUNING=off``.

It switches off the patches (``bot.rasa_ext.tuning.tune_rasa`` installs none) and the
speed-ups of the project's own Rasa extensions (``policies``), which then run Rasa's
code unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

SETTING = "RASA_TUNING"
_OFF = frozenset({"off", "0", "false", "no"})


def tuning_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the run-time fixes are on (the default; ``RASA_TUNING=off`` is stock Rasa)."""
    value = (os.environ if environ is None else environ).get(SETTING, "on")
    return value.strip().lower() not in _OFF
