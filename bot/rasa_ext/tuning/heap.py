"""The loaded server's heap settled after start-up: frozen, and what it freed given back.

Once Rasa, TensorFlow and the model are loaded the Rasa server holds about 630,000
Python objects that live as long as it does; every full collection (Python runs one
after enough new objects survive) walked all of them, about 340 ms here, with every
customer's message waiting behind it. ``gc.freeze()`` after start-up moves them to a
generation the collector leaves alone (a full collection under load: 88-116 ms); what
is made later is collected as before. Its effect on throughput is within this machine's
noise (docs/performance.md, "Each fix on its own").
Start-up also leaves garbage behind: the source lines Python's warnings read (about
9 MB of ``linecache``, read again if ever needed) and freed heap that glibc keeps for
later (``malloc_trim`` gives it back to the system).

The channels' blueprints call ``freeze_loaded_heap`` when the server has started (the
model is loaded before: ``bot.channels.lifecycle``). Not with ``RASA_TUNING=off``, and
``RASA_TUNING_WITHOUT=gc_freeze`` leaves it out, to measure it.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import linecache
from collections.abc import Mapping

from bot.rasa_ext.tuning.setting import left_out, tuned

NAME = "gc_freeze"  # for RASA_TUNING_WITHOUT
_done: list[bool] = []  # once per process, whichever channel's listener comes first


def freeze_loaded_heap(environ: Mapping[str, str] | None = None) -> bool:
    """Drop start-up's garbage, freeze what is left and give freed heap back (once);
    whether it was done now."""
    if _done or not tuned(environ) or NAME in left_out(environ):
        return False
    _done.append(True)
    linecache.clearcache()
    gc.collect()
    gc.freeze()
    _give_back_freed_heap()
    return True


def _give_back_freed_heap() -> None:
    with contextlib.suppress(AttributeError, OSError):  # not glibc: nothing to give back
        ctypes.CDLL(None).malloc_trim(0)
