"""What the Rasa server does when it has started and when it stops, for its channels.

Rasa makes the Sanic app itself, so its channels register these listeners on their own
blueprints (Sanic applies a blueprint's listeners to the app). Every channel registers
them; both are idempotent, so the first call acts and the others find nothing to do.

* After start (the model is loaded by then): the loaded objects are frozen out of the
  garbage collector's full collections (``bot.rasa_ext.tuning.heap``).
* After stop: the bundle's clients (``bot.services``) and the HTTP sessions kept for the
  action server (``bot.rasa_ext.tuning.endpoints``; none while the speed-ups are off)
  are closed.
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint

from bot import services
from bot.rasa_ext.tuning.endpoints import close_kept_sessions
from bot.rasa_ext.tuning.heap import freeze_loaded_heap


async def _started(_app: Any, _loop: Any) -> None:
    freeze_loaded_heap()


async def _stopped(_app: Any, _loop: Any) -> None:
    await services.close()
    await close_kept_sessions()


def with_lifecycle(blueprint: Blueprint) -> Blueprint:
    """``blueprint`` with the ``after_server_start`` and ``after_server_stop`` listeners."""
    blueprint.listener("after_server_start")(_started)
    blueprint.listener("after_server_stop")(_stopped)
    return blueprint
