"""Agent accounts: the ``agents`` table and the operations the CLI, the login and the
supervisors' Agents page use."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.console.access.passwords import DUMMY_HASH, hash_password, verify_password
from bot.console.access.sessions import token_digest
from bot.state.tables import AgentRow, AgentSessionRow

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
ROLES = ("agent", "supervisor")  # agents.role (bot.console.access.roles)


class AccountError(Exception):
    """An account cannot be created or changed as asked."""


@dataclass(frozen=True)
class Agent:
    """A human agent who may sign in to the console."""

    username: str
    created_at: dt.datetime
    role: str = "agent"
    password_changed_at: dt.datetime | None = None


def normalise_username(username: str) -> str:
    """Usernames are compared trimmed and in lower case."""
    return username.strip().lower()


def _agent(row: AgentRow) -> Agent:
    return Agent(row.username, row.created_at, row.role or "agent", row.password_changed_at)


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"a role is one of: {', '.join(ROLES)}")
    return role


class AgentAccounts:
    """Create, list, change, remove and authenticate agents (blocking: run them off the loop)."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self._engine = engine
        self._clock = clock

    def _row(self, session: Session, username: str) -> AgentRow | None:
        name = normalise_username(username)
        return session.scalars(select(AgentRow).where(AgentRow.username == name)).first()

    def add(self, username: str, password: str, role: str = "agent") -> Agent:
        """Create an agent; raises ``AccountError`` (bad name, taken, role) or ``WeakPassword``."""
        name = normalise_username(username)
        if not USERNAME.fullmatch(name):
            raise AccountError(
                "a username has 2-32 characters: lower-case letters, digits, '.', '_' or '-'"
            )
        _check_role(role)
        password_hash = hash_password(password)
        with Session(self._engine, future=True) as session:
            if self._row(session, name) is not None:
                raise AccountError(f"agent {name} already exists")
            row = AgentRow(
                username=name, password_hash=password_hash, created_at=self._clock(), role=role
            )
            session.add(row)
            session.commit()
            return _agent(row)

    def list(self) -> list[Agent]:
        """Every agent, by username."""
        with Session(self._engine, future=True) as session:
            rows = session.scalars(select(AgentRow).order_by(AgentRow.username))
            return [_agent(row) for row in rows]

    def get(self, username: str) -> Agent | None:
        """One agent, or None."""
        with Session(self._engine, future=True) as session:
            row = self._row(session, username)
            return _agent(row) if row is not None else None

    def remove(self, username: str) -> bool:
        """Delete an agent and sign them out everywhere; False if there was none."""
        name = normalise_username(username)
        with Session(self._engine, future=True) as session:
            session.execute(delete(AgentSessionRow).where(AgentSessionRow.agent == name))
            result = session.execute(delete(AgentRow).where(AgentRow.username == name))
            session.commit()
            return bool(result.rowcount)

    def set_role(self, username: str, role: str) -> None:
        """Make an agent an agent or a supervisor; raises ``AccountError``."""
        _check_role(role)
        with Session(self._engine, future=True) as session:
            row = self._row(session, username)
            if row is None:
                raise AccountError(f"no agent {normalise_username(username)}")
            row.role = role
            session.commit()

    def reset_password(self, username: str, password: str, keep_session: str | None = None) -> None:
        """Set a new password and end the agent's sessions (but the one whose cookie token is
        ``keep_session``); raises ``AccountError`` (no such agent) or ``WeakPassword``."""
        password_hash = hash_password(password)
        with Session(self._engine, future=True) as session:
            row = self._row(session, username)
            if row is None:
                raise AccountError(f"no agent {normalise_username(username)}")
            row.password_hash = password_hash
            row.password_changed_at = self._clock()
            ended = delete(AgentSessionRow).where(AgentSessionRow.agent == row.username)
            if keep_session is not None:
                ended = ended.where(AgentSessionRow.token_hash != token_digest(keep_session))
            session.execute(ended)
            session.commit()

    def change_password(
        self, username: str, current: str, new: str, keep_session: str | None = None
    ) -> bool:
        """The agent's own change: False (nothing changed) if ``current`` is wrong; the other
        sessions end; raises ``WeakPassword`` for a weak new one."""
        if self.authenticate(username, current) is None:
            return False
        self.reset_password(username, new, keep_session=keep_session)
        return True

    def authenticate(self, username: str, password: str) -> Agent | None:
        """The agent if the password is theirs; as slow for unknown names as for known ones."""
        with Session(self._engine, future=True) as session:
            row = self._row(session, username)
            stored = row.password_hash if row is not None else DUMMY_HASH
            if verify_password(password, stored) and row is not None:
                return _agent(row)
            return None
