"""``telecom-assistant notices``: the notice scheduler process (started by ``up``)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bot.config import load_settings
from bot.logmask import configure_logging
from bot.notices.settings import load_notice_settings


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
        await scheduler.run(stop)

    asyncio.run(main())
    return 0
