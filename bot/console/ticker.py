"""The desk's periodic work, run by the console process: wait notices and call-back requests."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sanic import Sanic

log = logging.getLogger(__name__)


async def every(seconds: float, work: Callable[[], Awaitable[None]]) -> None:
    """Run ``work`` every ``seconds`` until cancelled; a failure is logged, not fatal."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await work()
        except Exception:
            log.exception("periodic desk work failed; retrying in %ss", seconds)


def run_periodically(app: Sanic, seconds: float, work: Callable[[], Awaitable[None]]) -> None:
    """Start ``work`` with the server and cancel it when the server stops."""

    async def start(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.ticker = asyncio.get_running_loop().create_task(every(seconds, work))

    async def stop(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.ticker.cancel()

    app.register_listener(start, "after_server_start")
    app.register_listener(stop, "before_server_stop")
