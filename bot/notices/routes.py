"""Which conversation a customer's notice goes to: the channel they used most recently.

Candidates: SMS (the conversation id is the number itself), Telegram (``tg-<user id>``
of a linked number, or a Telegram conversation that verified the number by code) and
web chat (a web conversation that verified the number by code). "Most recently used"
is the latest session start recorded for the conversation (``conversation_sessions``),
else when it was linked or verified. Without any other, SMS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.domain.ids import SMS, TELEGRAM, WEB, telegram_conversation
from bot.state.tables import PhoneVerificationRow, SessionRow, TelegramLinkRow
from bot.storage.db import in_session

_NEVER = dt.datetime.min


@dataclass(frozen=True)
class Route:
    """A conversation and the channel its output goes to."""

    conversation_id: str
    channel: str


class NoticeRoutes:
    """Finds each customer's most recently used conversation in the state database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def route(self, msisdn: str) -> Route:
        """Where ``msisdn``'s notices go now."""
        return await in_session(self._engine, lambda s: _route(s, msisdn))


def _route(s: Session, msisdn: str) -> Route:
    candidates: dict[Route, dt.datetime] = {Route(msisdn, SMS): _NEVER}
    for user_id, linked_at in s.execute(
        select(TelegramLinkRow.telegram_user_id, TelegramLinkRow.linked_at).where(
            TelegramLinkRow.msisdn == msisdn
        )
    ):
        candidates[Route(telegram_conversation(user_id), TELEGRAM)] = linked_at
    for conversation_id, channel, verified_at in s.execute(
        select(
            PhoneVerificationRow.conversation_id,
            PhoneVerificationRow.channel,
            PhoneVerificationRow.verified_at,
        ).where(PhoneVerificationRow.msisdn == msisdn, PhoneVerificationRow.status == "verified")
    ):
        if channel in (WEB, TELEGRAM):
            route = Route(conversation_id, channel)
            candidates[route] = max(candidates.get(route, _NEVER), verified_at or _NEVER)
    ids = [route.conversation_id for route in candidates]
    for conversation_id, started_at in s.execute(
        select(SessionRow.conversation_id, func.max(SessionRow.started_at))
        .where(SessionRow.conversation_id.in_(ids))
        .group_by(SessionRow.conversation_id)
    ):
        for route in candidates:
            if route.conversation_id == conversation_id:
                candidates[route] = max(candidates[route], started_at)
    # The latest wins; on a tie SMS (listed first) stays.
    return max(candidates, key=lambda route: candidates[route])
