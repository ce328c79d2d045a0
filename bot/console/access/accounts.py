"""Agent accounts: the ``agents`` table and the operations the CLI and the login use."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.console.access.passwords import DUMMY_HASH, hash_password, verify_password
from bot.state.tables import AgentRow, AgentSessionRow

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")


class AccountError(Exception):
    """An account cannot be created or changed as asked."""


@dataclass(frozen=True)
class Agent:
    """A human agent who may sign in to the console."""

    username: str
    created_at: dt.datetime


def normalise_username(username: str) -> str:
    """Usernames are compared trimmed and in lower case."""
    return username.strip().lower()


class AgentAccounts:
    """Create, list, remove and authenticate agents (blocking calls: run them off the loop)."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self._engine = engine
        self._clock = clock

    def add(self, username: str, password: str) -> Agent:
        """Create an agent; raises ``AccountError`` (bad or taken name) or ``WeakPassword``."""
        name = normalise_username(username)
        if not USERNAME.fullmatch(name):
            raise AccountError(
                "a username has 2-32 characters: lower-case letters, digits, '.', '_' or '-'"
            )
        password_hash = hash_password(password)
        with Session(self._engine, future=True) as session:
            if session.scalars(select(AgentRow).where(AgentRow.username == name)).first():
                raise AccountError(f"agent {name} already exists")
            row = AgentRow(username=name, password_hash=password_hash, created_at=self._clock())
            session.add(row)
            session.commit()
            return Agent(name, row.created_at)

    def list(self) -> list[Agent]:
        """Every agent, by username."""
        with Session(self._engine, future=True) as session:
            rows = session.scalars(select(AgentRow).order_by(AgentRow.username))
            return [Agent(row.username, row.created_at) for row in rows]

    def remove(self, username: str) -> bool:
        """Delete an agent and sign them out everywhere; False if there was none."""
        name = normalise_username(username)
        with Session(self._engine, future=True) as session:
            session.execute(delete(AgentSessionRow).where(AgentSessionRow.agent == name))
            result = session.execute(delete(AgentRow).where(AgentRow.username == name))
            session.commit()
            return bool(result.rowcount)

    def authenticate(self, username: str, password: str) -> Agent | None:
        """The agent if the password is theirs; as slow for unknown names as for known ones."""
        name = normalise_username(username)
        with Session(self._engine, future=True) as session:
            row = session.scalars(select(AgentRow).where(AgentRow.username == name)).first()
            stored = row.password_hash if row is not None else DUMMY_HASH
            if verify_password(password, stored) and row is not None:
                return Agent(row.username, row.created_at)
            return None
