"""The agent's preferences: the time zone their pages show times in (``agents.time_zone``).

A zone must be one of the tz database's (``zoneinfo.available_timezones()``); the
session reads it with the agent (``SessionStore.get``), so a page never asks again.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.console.web.clock import DEFAULT_ZONE, is_zone
from bot.state.tables import AgentRow
from bot.storage.db import in_session


class UnknownZone(ValueError):
    """Not a time zone of the tz database."""


def checked_zone(name: str) -> str:
    """``name`` trimmed, if it is a zone (e.g. "Europe/London"); raises ``UnknownZone``."""
    zone = name.strip()
    if not is_zone(zone):
        raise UnknownZone(f"no such time zone: {zone[:64]!r}")
    return zone


class AgentPreferences:
    """Reads and changes an agent's time zone in the state database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def time_zone(self, username: str) -> str:
        """The agent's zone (Beijing for an unknown agent)."""

        def work(s: Session) -> str:
            zone = s.scalar(select(AgentRow.time_zone).where(AgentRow.username == username))
            return str(zone) if zone else DEFAULT_ZONE

        return await in_session(self._engine, work)

    async def set_time_zone(self, username: str, name: str) -> str:
        """Keep ``name`` as the agent's zone; returns it; raises ``UnknownZone``."""
        zone = checked_zone(name)

        def work(s: Session) -> None:
            s.execute(update(AgentRow).where(AgentRow.username == username).values(time_zone=zone))
            s.commit()

        await in_session(self._engine, work)
        return zone
