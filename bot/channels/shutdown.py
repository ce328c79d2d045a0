"""Closing the process's shared clients when the Rasa server stops.

The bundle's clients (``bot.services``) and the HTTP sessions kept for the action
server (``bot.rasa_ext.tuning.endpoints``; none while the speed-ups are off).

Rasa makes the Sanic app itself, so its channels register the listener on their own
blueprints (Sanic applies a blueprint's listeners to the app). Every channel registers
it; closing is idempotent, so the first call closes and the others find nothing open.
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint

from bot import services
from bot.rasa_ext.tuning.endpoints import close_kept_sessions


async def _close_bundle(_app: Any, _loop: Any) -> None:
    await services.close()
    await close_kept_sessions()


def close_bundle_at_stop(blueprint: Blueprint) -> Blueprint:
    """``blueprint`` with an ``after_server_stop`` listener that closes the shared clients."""
    blueprint.listener("after_server_stop")(_close_bundle)
    return blueprint
