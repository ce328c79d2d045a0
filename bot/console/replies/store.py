"""Canned replies in the ``canned_replies`` table: listed by language, managed by supervisors,
a few seeded on first start."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.state.desk_tables import CannedReplyRow
from bot.storage.db import in_session

# msisdn -> the id of the customer's latest ticket (None: none), for ``{ticket}``
LatestTicket = Callable[[str], Awaitable[str | None]]

LANGUAGES = ("zh", "en")
TITLE_LIMIT = 64
BODY_LIMIT = 1000

# (language, title, body): what a fresh desk starts with.
SEEDS: tuple[tuple[str, str, str], ...] = (
    ("en", "Greeting", "Hello {name}, this is the support desk. How can I help you today?"),
    ("en", "Balance", "Hello {name}, your current balance is {balance} yuan."),
    (
        "en",
        "Ticket follow-up",
        "Hello {name}, your complaint {ticket} is being worked on; we will update you soon.",
    ),
    ("en", "Closing", "Thank you for contacting us, {name}. Is there anything else?"),
    ("zh", "问候", "{name}您好，这里是人工客服，请问有什么可以帮您？"),
    ("zh", "余额", "{name}您好，您当前的余额为{balance}元。"),
    ("zh", "工单跟进", "{name}您好，您的投诉工单{ticket}正在处理中，我们会尽快回复您。"),
    ("zh", "结束语", "感谢您的来电，{name}。还有其他可以帮您的吗？"),
)


class ReplyProblem(ValueError):
    """A canned reply that cannot be stored as given."""


@dataclass(frozen=True)
class CannedReply:
    """One prepared reply."""

    id: int
    language: str
    title: str
    body: str
    updated_at: dt.datetime


def _reply(row: CannedReplyRow) -> CannedReply:
    return CannedReply(row.id, row.language, row.title, row.body, row.updated_at)


def checked(language: str, title: str, body: str) -> tuple[str, str, str]:
    """Trimmed fields; raises ``ReplyProblem`` for an unknown language, empty or long text."""
    title, body = title.strip(), body.strip()
    if language not in LANGUAGES:
        raise ReplyProblem(f"language is one of {', '.join(LANGUAGES)}")
    if not title or not body:
        raise ReplyProblem("a reply needs a title and a text")
    if len(title) > TITLE_LIMIT or len(body) > BODY_LIMIT:
        raise ReplyProblem(f"at most {TITLE_LIMIT} characters of title, {BODY_LIMIT} of text")
    return language, title, body


class CannedReplies:
    """The canned replies of the desk."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self._engine = engine
        self._clock = clock

    def seed(self) -> int:
        """Add ``SEEDS`` if the table is empty (blocking; at start-up): how many were added."""
        with Session(self._engine, future=True) as s:
            if s.scalar(select(func.count()).select_from(CannedReplyRow)):
                return 0
            now = self._clock()
            for language, title, body in SEEDS:
                s.add(
                    CannedReplyRow(
                        language=language,
                        title=title,
                        body=body,
                        created_by=None,
                        created_at=now,
                        updated_at=now,
                    )
                )
            s.commit()
            return len(SEEDS)

    async def list(self, language: str | None = None) -> list[CannedReply]:
        """Every reply (of ``language``), by language then title."""

        def work(s: Session) -> list[CannedReply]:
            query = select(CannedReplyRow).order_by(CannedReplyRow.language, CannedReplyRow.title)
            if language is not None:
                query = query.where(CannedReplyRow.language == language)
            return [_reply(row) for row in s.scalars(query)]

        return await in_session(self._engine, work)

    async def get(self, reply_id: int) -> CannedReply | None:
        """One reply, or None."""

        def work(s: Session) -> CannedReply | None:
            row = s.get(CannedReplyRow, reply_id)
            return _reply(row) if row is not None else None

        return await in_session(self._engine, work)

    async def add(self, language: str, title: str, body: str, by: str) -> CannedReply:
        """Store a new reply; raises ``ReplyProblem``."""
        language, title, body = checked(language, title, body)

        def work(s: Session) -> CannedReply:
            now = self._clock()
            row = CannedReplyRow(
                language=language,
                title=title,
                body=body,
                created_by=by,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.commit()
            return _reply(row)

        return await in_session(self._engine, work)

    async def update(self, reply_id: int, language: str, title: str, body: str) -> bool:
        """Change a reply; False if there is none; raises ``ReplyProblem``."""
        language, title, body = checked(language, title, body)

        def work(s: Session) -> bool:
            row = s.get(CannedReplyRow, reply_id)
            if row is None:
                return False
            row.language, row.title, row.body = language, title, body
            row.updated_at = self._clock()
            s.commit()
            return True

        return await in_session(self._engine, work)

    async def delete(self, reply_id: int) -> bool:
        """Remove a reply; False if there was none."""

        def work(s: Session) -> bool:
            row = s.get(CannedReplyRow, reply_id)
            if row is None:
                return False
            s.delete(row)
            s.commit()
            return True

        return await in_session(self._engine, work)
