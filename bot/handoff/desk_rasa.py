"""``HandoffDesk`` on the handoff queue, Rasa's HTTP API and the billing port.

The console's composition root (``bot.console.wiring.console_services``) builds it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from bot.billing.packs import day_start, month_start
from bot.billing.port import BillingError, BillingService
from bot.domain.files import load_domain
from bot.domain.ids import belongs_to
from bot.domain.numbers import mask_msisdn
from bot.domain.responses import render, response_variation
from bot.handoff.desk import (
    QUEUE_PAGE_SIZE,
    CaseSummary,
    CaseView,
    Dashboard,
    DeskError,
    HandoffDesk,
    QueuePage,
    ReasonCount,
)
from bot.handoff.desk_events import DeskEventKind, DeskEventLog
from bot.handoff.profile import customer_profile
from bot.handoff.queue import Handoff, HandoffError, HandoffQueue, HandoffStatus
from bot.handoff.rasa_api import RasaApiError
from bot.handoff.stats import StatsStore
from bot.handoff.transcript import customer_texts_since, transcript
from bot.handoff.urgency import ANGRY, REPEAT_COMPLAINT, urgency
from bot.metrics import QUEUE_LENGTH, QUEUE_WAIT_SECONDS
from bot.notices.offer_responses import OfferCounts
from bot.storage.clock import utc_now

logger = logging.getLogger(__name__)
MAX_REPLY = 1000
URGENCY_RANK = {REPEAT_COMPLAINT: 0, ANGRY: 1}
CALLBACK_WORDS = ("回电", "回拨", "打给我", "callback", "call back", "call me")


class RasaConversations(Protocol):
    """Rasa's HTTP API as the desk uses it (``bot.handoff.rasa_api``); raises ``RasaApiError``."""

    async def events(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every event of the conversation."""

    async def append(
        self, conversation_id: str, events: list[dict[str, Any]], channel: str | None = None
    ) -> None:
        """Append events; with ``channel``, bot events also go out on that channel."""


class RasaHandoffDesk(HandoffDesk):
    """The real desk: cases from the queue, words from Rasa, profiles from billing."""

    def __init__(
        self,
        queue: HandoffQueue,
        rasa: RasaConversations,
        billing: BillingService,
        stats: StatsStore,
        domain_path: Path,
        wait_notice_after: dt.timedelta = dt.timedelta(minutes=3),
        clock: Callable[[], dt.datetime] = utc_now,
        notices_sent: Callable[[], Awaitable[dict[str, int]]] | None = None,
        offer_counts: Callable[[], Awaitable[OfferCounts]] | None = None,
        change_log: DeskEventLog | None = None,  # the desk's change log
    ) -> None:
        self._change_log = change_log
        self._offer_counts = offer_counts  # answers to plan offers (bot.notices)
        self._notices_sent = notices_sent  # sent by kind (bot.notices.store)
        self._queue = queue
        self._rasa = rasa
        self._billing = billing
        self._stats = stats
        self._domain: dict[str, Any] = load_domain(domain_path)
        self._wait_notice_after = wait_notice_after
        self._clock = clock

    async def _events(self, case: Handoff) -> list[dict[str, Any]]:
        if not belongs_to(case.channel, case.conversation_id):
            logger.warning(
                "case %s: not a %s conversation id; no transcript", case.id, case.channel
            )
            return []
        try:
            return await self._rasa.events(case.conversation_id)
        except RasaApiError as exc:
            logger.warning("no transcript for case %s: %s", case.id, exc)
            return []

    async def _summary(self, case: Handoff, events: list[dict[str, Any]]) -> CaseSummary:
        name = None
        if case.msisdn:
            try:
                name = (await self._billing.get_customer(case.msisdn)).name(case.language)
            except BillingError:
                name = None
        why = urgency(case, customer_texts_since(events, case.created_at))
        waited = int((self._clock() - case.created_at).total_seconds())
        return CaseSummary(
            case, max(waited, 0), why is not None, why, name, case.callback_requested
        )

    async def queue(self, page: int = 1) -> QueuePage:
        # One page: three queries, and one transcript (anger) per waiting case shown at most.
        page = max(1, page)
        found = await self._queue.open_page(QUEUE_PAGE_SIZE, (page - 1) * QUEUE_PAGE_SIZE)
        QUEUE_LENGTH.set(found.waiting_total)
        waiting = [await self._summary(c, await self._events(c)) for c in found.waiting]
        # Claimed cases are being answered: their order needs no transcript.
        claimed = [await self._summary(c, []) for c in found.claimed]
        waiting.sort(key=lambda s: URGENCY_RANK.get(s.urgency_reason or "", len(URGENCY_RANK)))
        return QueuePage(
            [*waiting, *claimed], found.waiting_total, found.claimed_total, page, QUEUE_PAGE_SIZE
        )

    async def case(self, case_id: int) -> CaseView:
        case = await self._get(case_id)
        events = await self._events(case)
        profile = None
        if case.msisdn:
            profile = await customer_profile(
                self._billing, case.msisdn, case.language, self._clock().date()
            )
        return CaseView(await self._summary(case, events), profile, transcript(events))

    async def claim(self, case_id: int, agent: str) -> None:
        try:
            case = await self._queue.claim(case_id, agent)
        except HandoffError as exc:
            raise DeskError(str(exc)) from exc
        if case.claimed_at is not None:
            QUEUE_WAIT_SECONDS.observe((case.claimed_at - case.created_at).total_seconds())

    async def reply(self, case_id: int, agent: str, text: str) -> None:
        case = await self._mine(case_id, agent)
        text = text.strip()
        if not text or len(text) > MAX_REPLY:
            raise DeskError(f"a reply has 1 to {MAX_REPLY} characters")
        await self._deliver(case, [self._bot_event(text, agent=agent)])
        if self._change_log is not None:
            await self._change_log.append(
                DeskEventKind.AGENT_MESSAGE, handoff_id=case_id, agent=agent
            )

    async def resolve(self, case_id: int, agent: str, note: str) -> None:
        case = await self._mine(case_id, agent)
        try:
            await self._queue.resolve(case_id, agent, note.strip())
        except HandoffError as exc:
            raise DeskError(str(exc)) from exc
        back = response_variation(self._domain, "utter_back_with_bot", case.language)
        events = [{"event": "resume"}, self._bot_event(back["text"], buttons=back.get("buttons"))]
        await self._deliver(case, events)

    async def dashboard(self) -> Dashboard:
        cases = await self._queue.all_cases()
        conversations = max(await self._stats.conversations(), 1 if cases else 0)
        handed_over = len({c.conversation_id for c in cases})
        waits = [(c.claimed_at - c.created_at).total_seconds() for c in cases if c.claimed_at]
        ratings = await self._stats.ratings()
        rated = sum(ratings.values())
        by_reason = Counter(c.reason.value for c in cases)
        packs_today, packs_month = await self._data_pack_sales()
        credits, credited = await self._credits_this_month()
        return Dashboard(
            conversations=conversations,
            handed_over=handed_over,
            self_service_rate=(conversations - handed_over) / conversations if conversations else 0,
            by_reason=[ReasonCount(r, n) for r, n in sorted(by_reason.items())],
            average_wait_to_claim_seconds=sum(waits) / len(waits) if waits else None,
            ratings=ratings,
            satisfaction_rate=ratings["satisfied"] / rated if rated else None,
            data_packs_today=packs_today,
            data_packs_month=packs_month,
            notices_sent=await self._notices_sent() if self._notices_sent else {},
            offers=await self._offer_counts() if self._offer_counts else OfferCounts(),
            credits_month=credits,
            credited_month=credited,
        )

    async def _credits_this_month(self) -> tuple[int | None, Decimal | None]:
        """Overage credits granted this month, and their total (None if billing fails)."""
        try:
            return await self._billing.credits_granted(month_start(self._clock()))
        except BillingError as exc:
            logger.warning("credits unavailable: %s", exc)
            return None, None

    async def _data_pack_sales(self) -> tuple[int | None, int | None]:
        """Data packs ordered today and this month, from billing (None if it fails)."""
        now = self._clock()
        try:
            today = await self._billing.data_pack_sales(day_start(now))
            return today, await self._billing.data_pack_sales(month_start(now))
        except BillingError as exc:
            logger.warning("data pack sales unavailable: %s", exc)
            return None, None

    async def tick(self) -> None:
        """Tell long-waiting customers the expected wait; note callback requests."""
        now = self._clock()
        for case in await self._queue.open_cases():
            if case.status != HandoffStatus.WAITING:
                continue
            if case.wait_notice_at is None and now - case.created_at >= self._wait_notice_after:
                minutes = await self._expected_wait_minutes()
                text = render(self._domain, "utter_wait_notice", case.language, minutes=minutes)
                await self._deliver(case, [self._bot_event(text)])
                await self._queue.mark_wait_notice(case.id)
            elif case.wait_notice_at and not case.callback_requested:
                said = customer_texts_since(await self._events(case), case.wait_notice_at)
                if any(w in t.lower() for t in said for w in CALLBACK_WORDS):
                    await self._queue.request_callback(case.id)
                    text = render(
                        self._domain,
                        "utter_callback_noted",
                        case.language,
                        number=mask_msisdn(case.msisdn or ""),
                    )
                    await self._deliver(case, [self._bot_event(text)])

    async def _expected_wait_minutes(self) -> int:
        figures = await self.dashboard()
        average = figures.average_wait_to_claim_seconds or 300.0
        waiting = sum(
            1 for c in await self._queue.open_cases() if c.status == HandoffStatus.WAITING
        )
        return max(1, round(average * max(waiting, 1) / 60))

    async def _get(self, case_id: int) -> Handoff:
        try:
            return await self._queue.get(case_id)
        except HandoffError as exc:
            raise DeskError(str(exc)) from exc

    async def _mine(self, case_id: int, agent: str) -> Handoff:
        case = await self._get(case_id)
        if case.status != HandoffStatus.CLAIMED or case.claimed_by != agent:
            raise DeskError(f"case {case_id} is not claimed by {agent}")
        return case

    def _bot_event(
        self, text: str, agent: str | None = None, buttons: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "event": "bot",
            "text": text,
            "timestamp": self._clock().timestamp(),
        }
        if buttons:
            event["data"] = {"buttons": buttons}
        if agent:
            event["metadata"] = {"agent": agent}
        return event

    async def _deliver(self, case: Handoff, events: list[dict[str, Any]]) -> None:
        # Ending with action_listen makes the customer's next message start a turn
        # exactly as after one of the bot's own replies (rules match on it).
        listen = {"event": "action", "name": "action_listen"}
        if not belongs_to(case.channel, case.conversation_id):
            # Only ids of the channel's own form reach Rasa: nothing else can be misrouted.
            raise DeskError(f"case {case.id} has no {case.channel} conversation to answer")
        try:
            await self._rasa.append(case.conversation_id, [*events, listen], channel=case.channel)
        except RasaApiError as exc:
            raise DeskError(f"the message could not be delivered: {exc}") from exc
