"""The project's own state survives set-up: migrations upgrade a database of release 0.1
in place or adopt it into a new state database, and seeding never drops anything."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from bot.billing.seed import BillingSchemaMismatch, seed_database
from bot.cli import main
from bot.state.base import StateBase
from bot.state.schema import current_revision, head_revision, migrate, state_models
from bot.storage.db import make_engine
from tests.fakes import NOW

ROOT = Path(__file__).resolve().parents[2]
LEGACY_DUMP = ROOT / "tests" / "fixtures" / "legacy-0.1.sql"
SEED = ROOT / "data" / "billing" / "demo-customers.yml"
# What the 0.1 database holds, table by table (tests/fixtures/legacy-0.1.sql).
KEPT = {
    "agents": "SELECT username, password_hash FROM agents ORDER BY id",
    "console_sessions": "SELECT token_hash, agent FROM console_sessions",
    "handoffs": "SELECT id, conversation_id, channel, status, resolution_note FROM handoffs",
    "satisfaction_ratings": "SELECT conversation_id, rating FROM satisfaction_ratings",
    "webhook_deliveries": "SELECT channel, sender, message_id, response FROM webhook_deliveries",
    "pending_messages": "SELECT conversation_id, message FROM pending_messages",
    "telegram_links": "SELECT telegram_user_id, msisdn FROM telegram_links",
    "phone_verifications": "SELECT conversation_id, msisdn, status FROM phone_verifications",
    "conversation_sessions": "SELECT conversation_id, channel FROM conversation_sessions",
}


def legacy_database(path: Path) -> Engine:
    """A database as release 0.1 left it: billing stub and state in one file."""
    connection = sqlite3.connect(path)
    connection.executescript(LEGACY_DUMP.read_text(encoding="utf-8"))
    connection.close()
    return make_engine(f"sqlite:///{path}")


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {
            table: [tuple(row) for row in connection.execute(text(query))]
            for table, query in KEPT.items()
        }


def test_the_fixture_holds_a_row_of_every_kind(tmp_path: Path) -> None:
    rows = snapshot(legacy_database(tmp_path / "legacy.db"))
    assert all(rows[table] for table in KEPT), rows
    assert len(rows["agents"]) == 2 and len(rows["handoffs"]) == 2


def test_upgrading_a_0_1_database_in_place_keeps_every_row(tmp_path: Path) -> None:
    engine = legacy_database(tmp_path / "legacy.db")
    before = snapshot(engine)
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == head_revision()
    assert snapshot(engine) == before
    with engine.connect() as connection:
        channels = dict(
            connection.execute(
                text("SELECT conversation_id, channel FROM phone_verifications")
            ).all()
        )
    # A verification is bound to the channel its conversation belongs to.
    assert channels == {"tg-777": "telegram", "some-web-id": "rest"}


def test_migrate_adopts_the_state_a_0_1_install_kept_in_billing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    legacy = legacy_database(tmp_path / "billing.db")
    before = snapshot(legacy)
    monkeypatch.setenv("BILLING_DATABASE_URL", f"sqlite:///{tmp_path / 'billing.db'}")
    monkeypatch.setenv("STATE_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    assert main(["migrate"]) == 0
    state = make_engine(f"sqlite:///{tmp_path / 'state.db'}")
    assert snapshot(state) == before
    assert snapshot(legacy) == before  # the originals stay where they were
    with state.connect() as connection:
        channel = connection.execute(
            text("SELECT channel FROM phone_verifications WHERE conversation_id = 'tg-777'")
        ).scalar()
    assert channel == "telegram"
    # A second run finds a current database and copies nothing twice.
    assert main(["migrate"]) == 0
    assert snapshot(state) == before


def test_seeding_adds_missing_demo_rows_and_never_drops(tmp_path: Path) -> None:
    engine = legacy_database(tmp_path / "legacy.db")
    migrate(engine)
    before = snapshot(engine)
    with engine.begin() as connection:
        for table in ("subscriptions", "usage_history", "cycle_usage", "customers"):
            connection.execute(text(f"DELETE FROM {table} WHERE msisdn = '+8613800000005'"))
        connection.execute(
            text("UPDATE customers SET balance = 1.23 WHERE msisdn = '+8613800000001'")
        )
    assert seed_database(engine, SEED, as_of=NOW.date()) is True  # the missing customer is back
    assert seed_database(engine, SEED, as_of=NOW.date()) is False  # nothing left to add
    with engine.connect() as connection:
        balances = dict(connection.execute(text("SELECT msisdn, balance FROM customers")).all())
    assert "+8613800000005" in balances
    assert float(balances["+8613800000001"]) == 1.23  # existing rows are not changed
    assert snapshot(engine) == before


def test_a_billing_table_that_differs_is_refused_not_dropped(tmp_path: Path) -> None:
    engine = legacy_database(tmp_path / "legacy.db")
    migrate(engine)
    before = snapshot(engine)
    with engine.begin() as connection:  # an older stub: a table without a column
        connection.execute(text("ALTER TABLE plans DROP COLUMN min_age"))
    with pytest.raises(BillingSchemaMismatch, match="plans lacks min_age"):
        seed_database(engine, SEED, as_of=NOW.date())
    assert snapshot(engine) == before
    assert "plans" in inspect(engine).get_table_names()


def test_concurrent_first_migrations_create_the_schema_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    errors: list[BaseException] = []

    def run() -> None:
        try:
            migrate(make_engine(url))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert current_revision(make_engine(url)) == head_revision()


def test_the_models_match_the_migrations(tmp_path: Path) -> None:
    """A column added to a model without a migration fails here."""
    engine = make_engine(f"sqlite:///{tmp_path / 'state.db'}")
    migrate(engine)
    state_models()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), StateBase.metadata) == []
