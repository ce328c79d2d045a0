"""Server-side agent sessions: an opaque cookie token, its hash stored with a CSRF token.

Only the SHA-256 of a session token is stored, so a copy of the table cannot
be used to sign in. A session ends after ``idle`` without requests, after
``max_age`` in all, or at logout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot.state.tables import AgentRow, AgentSessionRow
from bot.storage.db import in_session

TOKEN_BYTES = 32
TOUCH_EVERY = dt.timedelta(seconds=30)  # last_seen is written at most this often


@dataclass(frozen=True)
class AgentSession:
    """A signed-in agent; ``token`` goes in the cookie, ``csrf_token`` in every form."""

    token: str
    agent: str
    csrf_token: str
    role: str = "agent"  # agents.role, read with the session (bot.console.access.roles)
    time_zone: str = "Asia/Shanghai"  # agents.time_zone: the zone its pages show times in
    presence: str = "available"  # agents.presence: the nav's toggle (access/presence.py)


@dataclass(frozen=True)
class Flash:
    """A one-time message for the next page ("ok" or "error")."""

    text: str
    kind: str


def new_token() -> str:
    """A random 32-byte token, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_digest(token: str) -> str:
    """What the table stores for a session token (to keep one while ending the others)."""
    return _digest(token)


class SessionStore:
    """Sessions in the project's database."""

    def __init__(
        self,
        engine: Engine,
        idle: dt.timedelta = dt.timedelta(hours=8),
        max_age: dt.timedelta = dt.timedelta(hours=24),
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self._engine = engine
        self._idle = idle
        self._max_age = max_age
        self._clock = clock

    def _expired(self, now: dt.datetime) -> ColumnElement:
        return or_(
            AgentSessionRow.last_seen < now - self._idle,
            AgentSessionRow.created_at < now - self._max_age,
        )

    async def create(self, agent: str) -> AgentSession:
        """Start a session for ``agent`` (expired sessions are swept on the way)."""
        token, csrf = new_token(), new_token()

        def work(s: Session) -> None:
            now = self._clock()
            s.execute(delete(AgentSessionRow).where(self._expired(now)))
            s.add(
                AgentSessionRow(
                    token_hash=_digest(token),
                    agent=agent,
                    csrf_token=csrf,
                    created_at=now,
                    last_seen=now,
                )
            )
            s.commit()

        await in_session(self._engine, work)
        return AgentSession(token, agent, csrf)

    async def get(self, token: str | None) -> AgentSession | None:
        """The live session of ``token`` (its idle clock restarts), or None."""
        if not token or len(token) > 128:
            return None

        def work(s: Session) -> AgentSession | None:
            row = s.get(AgentSessionRow, _digest(token))
            if row is None:
                return None
            now = self._clock()
            if row.last_seen < now - self._idle or row.created_at < now - self._max_age:
                s.delete(row)
                s.commit()
                return None
            if now - row.last_seen >= TOUCH_EVERY:
                row.last_seen = now
                s.commit()
            agent = s.execute(
                select(AgentRow.role, AgentRow.time_zone, AgentRow.presence).where(
                    AgentRow.username == row.agent
                )
            ).first()
            role, zone, presence = agent if agent is not None else (None, None, None)
            return AgentSession(
                token,
                row.agent,
                row.csrf_token,
                role or "agent",
                zone or "Asia/Shanghai",
                presence or "available",
            )

        return await in_session(self._engine, work)

    async def delete(self, token: str) -> None:
        """End the session (logout)."""

        def work(s: Session) -> None:
            s.execute(delete(AgentSessionRow).where(AgentSessionRow.token_hash == _digest(token)))
            s.commit()

        await in_session(self._engine, work)

    async def set_flash(self, token: str, flash: Flash) -> None:
        """Keep a message for the session's next page."""

        def work(s: Session) -> None:
            row = s.get(AgentSessionRow, _digest(token))
            if row is not None:
                row.flash, row.flash_kind = flash.text, flash.kind
                s.commit()

        await in_session(self._engine, work)

    async def pop_flash(self, token: str) -> Flash | None:
        """The waiting message, once."""

        def work(s: Session) -> Flash | None:
            row = s.get(AgentSessionRow, _digest(token))
            if row is None or row.flash is None:
                return None
            flash = Flash(row.flash, row.flash_kind or "ok")
            row.flash = row.flash_kind = None
            s.commit()
            return flash

        return await in_session(self._engine, work)
