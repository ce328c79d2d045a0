"""Agent accounts: scrypt hashes (never clear text), the ``telecom-assistant agent`` command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.cli import main
from bot.console.access.accounts import AccountError, AgentAccounts
from bot.console.access.passwords import WeakPassword, hash_password, verify_password
from bot.console.access.sessions import SessionStore
from bot.state.schema import migrate
from bot.state.tables import AgentRow, AgentSessionRow
from bot.storage.db import make_engine

PASSWORD = "s3cret-enough"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'agents.db'}")
    migrate(engine)
    return engine


def stored_hashes(engine: Engine) -> dict[str, str]:
    with Session(engine) as session:
        return {row.username: row.password_hash for row in session.scalars(select(AgentRow))}


def test_passwords_are_salted_scrypt_hashes(engine: Engine) -> None:
    accounts = AgentAccounts(engine)
    accounts.add("ann", PASSWORD)
    accounts.add("bob", PASSWORD)
    hashes = stored_hashes(engine)
    assert all(h.startswith("scrypt$16384$8$1$") for h in hashes.values())
    assert hashes["ann"] != hashes["bob"]  # a random salt each
    assert all(PASSWORD not in h and PASSWORD.encode().hex() not in h for h in hashes.values())


def test_verify_password() -> None:
    stored = hash_password(PASSWORD)
    assert verify_password(PASSWORD, stored)
    assert not verify_password(PASSWORD + "x", stored)
    assert not verify_password(PASSWORD, "md5$abc")
    assert not verify_password(PASSWORD, "scrypt$x$y")
    with pytest.raises(WeakPassword):
        hash_password("short")


def test_authenticate(engine: Engine) -> None:
    accounts = AgentAccounts(engine)
    accounts.add("Ann", PASSWORD)
    assert accounts.authenticate(" ANN ", PASSWORD) is not None
    assert accounts.authenticate("ann", "wrong-password") is None
    assert accounts.authenticate("zoe", PASSWORD) is None


@pytest.mark.parametrize("username", ["a", "ann smith", "<b>", "x" * 33, ""])
def test_usernames_are_plain(engine: Engine, username: str) -> None:
    with pytest.raises(AccountError):
        AgentAccounts(engine).add(username, PASSWORD)


def test_a_username_is_taken_once(engine: Engine) -> None:
    accounts = AgentAccounts(engine)
    accounts.add("ann", PASSWORD)
    with pytest.raises(AccountError, match="already exists"):
        accounts.add("ANN", PASSWORD)


async def test_removing_an_agent_signs_them_out(engine: Engine) -> None:
    accounts, sessions = AgentAccounts(engine), SessionStore(engine)
    accounts.add("ann", PASSWORD)
    session = await sessions.create("ann")
    assert await sessions.get(session.token) is not None
    assert accounts.remove("ann") and not accounts.remove("ann")
    assert await sessions.get(session.token) is None
    with Session(engine) as db:
        assert db.scalars(select(AgentSessionRow)).all() == []


class TestCommand:
    @pytest.fixture(autouse=True)
    def database(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        path = tmp_path / "billing.db"
        monkeypatch.setenv("STATE_DATABASE_URL", f"sqlite:///{path}")
        return path

    def test_add_list_remove(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database: Path
    ) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert main(["agent", "add", "ann", "--password-stdin"]) == 0
        assert "agent ann added" in capsys.readouterr().out
        assert main(["agent", "list"]) == 0
        assert capsys.readouterr().out.startswith("ann\t")
        engine = make_engine(f"sqlite:///{database}")
        assert AgentAccounts(engine).authenticate("ann", PASSWORD) is not None
        assert PASSWORD not in database.read_bytes().decode("latin-1")
        assert main(["agent", "remove", "ann"]) == 0
        assert main(["agent", "remove", "ann"]) == 1
        assert "no agent ann" in capsys.readouterr().err
        assert main(["agent", "list"]) == 0 and "ann" not in capsys.readouterr().out

    def test_add_asks_twice_without_echo(self, monkeypatch: pytest.MonkeyPatch) -> None:
        answers = iter([PASSWORD, PASSWORD])
        monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
        assert main(["agent", "add", "bob"]) == 0

    def test_refusals_are_one_line(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        answers = iter([PASSWORD, PASSWORD + "!"])
        monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
        assert main(["agent", "add", "bob"]) == 2
        assert "the two passwords differ" in capsys.readouterr().err
        monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
        assert main(["agent", "add", "bob", "--password-stdin"]) == 2
        assert "at least 8 characters" in capsys.readouterr().err
        assert main(["agent", "add"]) == 2
