"""The garbage collector leaves the loaded model alone.

Python's full collections walk every object alive; after the model is loaded that is
the whole of Rasa, TensorFlow and scikit-learn, scanned again and again while
customers wait. Once the model is loaded, ``gc.freeze`` moves everything alive into
a generation the collector never scans (objects made afterwards are collected as
usual), and the young generation is collected less often from then on. Unlike the other fixes,
its effect was not measured on its own: it is smaller than this machine's noise.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Awaitable, Callable
from typing import Any

YOUNG_THRESHOLD = 20_000  # Python's default is 700 allocations


def freezing(load: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Rasa's ``rasa.core.run.load_agent_on_start``, then the collector settings above."""

    @functools.wraps(load)
    async def load_then_freeze(*args: Any, **kwargs: Any) -> Any:
        agent = await load(*args, **kwargs)
        gc.collect()
        gc.freeze()
        _, middle, old = gc.get_threshold()
        gc.set_threshold(YOUNG_THRESHOLD, middle, old)
        return agent

    return load_then_freeze
