"""Roles and password changes of agent accounts, and ``telecom-assistant agent
add --role | reset-password | set-role``."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.cli import main
from bot.console.access.accounts import AccountError, AgentAccounts
from bot.console.access.passwords import WeakPassword
from bot.console.access.sessions import SessionStore
from bot.state.schema import migrate
from bot.storage.db import make_engine
from tests.fakes import NOW

PASSWORD, NEW = "s3cret-enough", "an0ther-secret"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'agents.db'}")
    migrate(engine)
    return engine


def test_roles(engine: Engine) -> None:
    accounts = AgentAccounts(engine)
    assert accounts.add("ann", PASSWORD).role == "agent"
    assert accounts.add("sue", PASSWORD, role="supervisor").role == "supervisor"
    accounts.set_role("ann", "supervisor")
    assert [a.role for a in accounts.list()] == ["supervisor", "supervisor"]
    with pytest.raises(AccountError):
        accounts.set_role("ann", "boss")
    with pytest.raises(AccountError):
        accounts.add("bob", PASSWORD, role="root")
    with pytest.raises(AccountError):
        accounts.set_role("zoe", "agent")


async def test_the_session_knows_the_role(engine: Engine) -> None:
    AgentAccounts(engine).add("sue", PASSWORD, role="supervisor")
    sessions = SessionStore(engine)
    session = await sessions.create("sue")
    found = await sessions.get(session.token)
    assert found is not None and found.role == "supervisor"


async def test_changing_ones_password_ends_the_other_sessions(engine: Engine) -> None:
    accounts, sessions = AgentAccounts(engine, clock=lambda: NOW), SessionStore(engine)
    accounts.add("ann", PASSWORD)
    here, elsewhere = await sessions.create("ann"), await sessions.create("ann")
    assert not accounts.change_password("ann", "wrong-password", NEW, here.token)
    assert accounts.authenticate("ann", PASSWORD) is not None
    with pytest.raises(WeakPassword):
        accounts.change_password("ann", PASSWORD, "short", here.token)
    assert accounts.change_password("ann", PASSWORD, NEW, here.token)
    assert accounts.authenticate("ann", PASSWORD) is None
    agent = accounts.authenticate("ann", NEW)
    assert agent is not None and agent.password_changed_at == NOW
    assert await sessions.get(here.token) is not None
    assert await sessions.get(elsewhere.token) is None


class TestCommand:
    @pytest.fixture
    def database(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
        path = tmp_path / "state.db"
        monkeypatch.setenv("STATE_DATABASE_URL", f"sqlite:///{path}")
        engine = make_engine(f"sqlite:///{path}")
        migrate(engine)
        return engine

    def test_add_a_supervisor_and_reset_a_password(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        database: Engine,
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert main(["agent", "add", "sue", "--role", "supervisor", "--password-stdin"]) == 0
        accounts = AgentAccounts(database)
        sue = accounts.get("sue")
        assert sue is not None and sue.role == "supervisor"
        session = asyncio.run(SessionStore(database).create("sue"))
        monkeypatch.setattr("sys.stdin", io.StringIO(NEW + "\n"))
        assert main(["agent", "reset-password", "sue", "--password-stdin"]) == 0
        assert accounts.authenticate("sue", NEW) is not None
        assert accounts.authenticate("sue", PASSWORD) is None
        assert asyncio.run(SessionStore(database).get(session.token)) is None  # signed out
        assert main(["agent", "set-role", "sue", "--role", "agent"]) == 0
        assert main(["agent", "list"]) == 0
        assert "sue\tagent" in capsys.readouterr().out

    def test_reset_refuses_unknown_agents_and_weak_passwords(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        database: Engine,
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(NEW + "\n"))
        assert main(["agent", "reset-password", "zoe", "--password-stdin"]) == 2
        assert "no agent zoe" in capsys.readouterr().err
        AgentAccounts(database).add("ann", PASSWORD)
        monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
        assert main(["agent", "reset-password", "ann", "--password-stdin"]) == 2
        assert AgentAccounts(database).authenticate("ann", PASSWORD) is not None
