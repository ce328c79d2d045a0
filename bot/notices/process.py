"""``telecom-assistant notices``: the notice scheduler process (started by ``up``)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.config import load_settings
from bot.logmask import configure_logging
from bot.notices.settings import load_notice_settings

if TYPE_CHECKING:
    from wsgiref.simple_server import WSGIServer

METRICS_PORT_ENV = "NOTICES_METRICS_PORT"
METRICS_HOST_ENV = "NOTICES_METRICS_HOST"


def serve_metrics(environ: Mapping[str, str] | None = None) -> WSGIServer | None:
    """Serve ``/metrics`` (prometheus_client's own thread) on ``NOTICES_METRICS_PORT``
    when it is set, on ``NOTICES_METRICS_HOST`` (127.0.0.1 by default: no token here)."""
    env = os.environ if environ is None else environ
    port = env.get(METRICS_PORT_ENV, "").strip()
    if not port:
        return None
    from prometheus_client import start_http_server

    server, _thread = start_http_server(int(port), addr=env.get(METRICS_HOST_ENV, "127.0.0.1"))
    return server


def run_notices(once: bool = False) -> int:
    """Sweep until SIGTERM/SIGINT (or once); 2 when a setting is missing."""
    from bot.notices.wiring import notice_scheduler

    configure_logging()
    try:
        scheduler = notice_scheduler(load_settings(), load_notice_settings())
    except ValueError as exc:
        print(f"notices: {exc}", file=sys.stderr)
        return 2

    async def main() -> None:
        if once:
            report = await scheduler.sweep()
            print(
                f"notices: {len(report.sent)} sent, {len(report.found_sent)} found sent, "
                f"{len(report.failed)} to retry" + (" (quiet hours)" if report.quiet else "")
            )
            return
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        logging.getLogger(__name__).info("notice scheduler %s running", scheduler.owner)
        serve_metrics()
        await scheduler.run(stop)

    asyncio.run(main())
    return 0
