"""The notice scheduler: finds what is due, claims it, sends it, marks it sent.

One ``sweep``:

1. nothing during quiet hours (what is due then is found again at their end);
2. claims that are stale (a scheduler crashed between claim and mark, or a send
   failed) are taken over; the conversation is checked first, and a notice that is
   already there is only marked sent;
3. every customer's facts go through the due-finder; each notice not recorded yet and
   not turned off by the customer is claimed (the unique key decides between schedulers),
   sent through Rasa and marked sent (``due.unsent`` settles it against the cycle's data
   notices: the unusual-use explanation goes only with the first).

Any number of schedulers may run at once (``telecom-assistant notices``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from bot.billing.port import BillingError, BillingService
from bot.domain.notice_kinds import NoticeKind
from bot.domain.numbers import mask_msisdn
from bot.handoff.rasa_api import RasaApiError
from bot.metrics import NOTICES
from bot.notices.due import CustomerFacts, Notice, due_notices, related, unsent
from bot.notices.facts import all_facts
from bot.notices.quiet import is_quiet, local_time
from bot.notices.routes import NoticeRoutes, Route
from bot.notices.sender import NoticeSender
from bot.notices.settings import NoticeSettings
from bot.notices.store import NoticeStore
from bot.storage.clock import aware_utc_now

logger = logging.getLogger(__name__)


class NoticeSwitch(Protocol):
    """The customer's notice preferences (``bot.notices.preferences.NoticePreferences``)."""

    async def is_enabled(self, msisdn: str, kind: NoticeKind) -> bool:
        """Whether ``msisdn`` gets notices of ``kind``."""


class OfferSource(Protocol):
    """Plan offers (``bot.notices.offer_finder.OfferFinder``)."""

    async def due(self, facts: CustomerFacts, local: dt.datetime) -> list[Notice]:
        """The quarter's plan offer the customer is due, if any."""


def scheduler_id() -> str:
    """Who claims: host, process and a random tag (two schedulers never share one)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class SweepReport:
    """What one sweep did."""

    quiet: bool = False
    sent: list[str] = field(default_factory=list)  # notice keys sent now
    found_sent: list[str] = field(default_factory=list)  # stale claims already delivered
    failed: list[str] = field(default_factory=list)  # left for a retry


class NoticeScheduler:
    """Sweeps billing for due notices and delivers each exactly once."""

    def __init__(
        self,
        billing: BillingService,
        store: NoticeStore,
        routes: NoticeRoutes,
        sender: NoticeSender,
        preferences: NoticeSwitch,
        settings: NoticeSettings,
        clock: Callable[[], dt.datetime] = aware_utc_now,
        owner: str | None = None,
        offers: OfferSource | None = None,  # plan offers too (bot.notices.offer_finder)
    ) -> None:
        self._offers = offers
        self._billing = billing
        self._store = store
        self._routes = routes
        self._sender = sender
        self._preferences = preferences
        self._settings = settings
        self._clock = clock
        self.owner = owner or scheduler_id()

    @property
    def _lease(self) -> dt.timedelta:
        return dt.timedelta(seconds=self._settings.lease_seconds)

    def _now(self) -> dt.datetime:
        return local_time(self._clock(), self._settings.zone)

    async def sweep(self) -> SweepReport:
        """One pass over stale claims and every customer."""
        report = SweepReport()
        s = self._settings
        if is_quiet(self._now(), s.quiet_start, s.quiet_end):
            report.quiet = True
            return report
        for notice, route in await self._store.stale(self._now()):
            if await self._store.take_over(notice, self.owner, self._now(), self._lease):
                await self._deliver(notice, route, report, check_first=True)
        try:
            async for facts in all_facts(self._billing):
                due = due_notices(facts, self._now(), s)
                if self._offers is not None:
                    due += await self._offers.due(facts, self._now())
                recorded = await self._store.recorded(related(due))
                for notice in unsent(due, recorded):
                    await self._claim_and_send(notice, report)
        except BillingError as exc:
            logger.warning("notices: billing failed, the sweep ends early: %s", exc)
        return report

    async def _claim_and_send(self, notice: Notice, report: SweepReport) -> None:
        if not await self._preferences.is_enabled(notice.msisdn, notice.kind):
            return
        route = await self._routes.route(notice.msisdn)
        if await self._store.claim(notice, route, self.owner, self._now(), self._lease):
            await self._deliver(notice, route, report, check_first=False)

    async def _deliver(
        self, notice: Notice, route: Route, report: SweepReport, check_first: bool
    ) -> None:
        """Send a claimed notice (unless it is in the conversation already), then mark it."""
        try:
            if check_first and await self._sender.already_in(route, notice):
                await self._store.mark_sent(notice, self._now())
                report.found_sent.append(notice.key)
                NOTICES.labels(kind=notice.kind.value, result="found_sent").inc()
                return
            await self._sender.send(route, notice)
        except RasaApiError as exc:
            retry_at = self._now() + dt.timedelta(seconds=self._settings.retry_seconds)
            await self._store.release(notice, self.owner, retry_at)
            logger.warning(
                "notice %s to %s not sent (%s); retry from %s",
                notice.event,
                mask_msisdn(notice.msisdn),
                exc,
                f"{retry_at:%H:%M:%S}",
            )
            report.failed.append(notice.key)
            NOTICES.labels(kind=notice.kind.value, result="failed").inc()
            return
        await self._store.mark_sent(notice, self._now())
        report.sent.append(notice.key)
        NOTICES.labels(kind=notice.kind.value, result="sent").inc()
        logger.info(
            "notice %s sent to %s on %s", notice.event, mask_msisdn(notice.msisdn), route.channel
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Sweep every ``interval_seconds`` until ``stop`` is set."""
        while not stop.is_set():
            try:
                report = await self.sweep()
                if report.sent or report.failed or report.found_sent:
                    logger.info(
                        "notices: %d sent, %d found sent, %d to retry",
                        len(report.sent),
                        len(report.found_sent),
                        len(report.failed),
                    )
            except Exception:
                logger.exception("notices: the sweep failed; next one as planned")
            try:
                await asyncio.wait_for(stop.wait(), self._settings.interval_seconds)
            except asyncio.TimeoutError:
                continue
