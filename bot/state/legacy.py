"""Adopt the project's state from a database of release 0.1, where it shared the billing file.

Release 0.1 kept handoff cases, console accounts, deliveries, the mailbox, Telegram
links and verifications in the billing database. When a new state database is first
created beside such a file, its rows are copied over (the originals stay where they
were: nothing is deleted).
"""

from __future__ import annotations

from sqlalchemy import Integer, inspect, select, text, update
from sqlalchemy.engine import Engine

from bot.domain.ids import SMS, TELEGRAM, TELEGRAM_PREFIX
from bot.state.base import StateBase
from bot.state.schema import state_models


def adopt_legacy_state(state: Engine, legacy: Engine) -> dict[str, int]:
    """Copy every state row of ``legacy`` into the (migrated, empty) ``state`` database.

    Returns the number of rows copied per table; columns the old table lacks take their
    defaults. Refuses to copy into a table that already holds rows.
    """
    state_models()
    old_tables = set(inspect(legacy).get_table_names())
    copied: dict[str, int] = {}
    with legacy.connect() as source, state.begin() as target:
        for table in StateBase.metadata.sorted_tables:  # parents before children
            if table.name not in old_tables:
                continue
            if target.execute(select(table).limit(1)).first() is not None:
                raise RuntimeError(f"{table.name} already has rows: not adopting over them")
            old_columns = {c["name"] for c in inspect(legacy).get_columns(table.name)}
            columns = [c for c in table.columns if c.name in old_columns]
            rows = [dict(row._mapping) for row in source.execute(select(*columns))]
            if rows:
                target.execute(table.insert(), rows)
            copied[table.name] = len(rows)
            _reset_sequence(target, table)
        _bind_verifications_to_channels(target)
    return copied


def _bind_verifications_to_channels(connection) -> None:  # type: ignore[no-untyped-def]
    """0.1's verifications had no channel: the one their conversation id belongs to
    (what revision 0002 does to rows migrated in place)."""
    from bot.state.tables import PhoneVerificationRow as Row

    for prefix, channel in ((TELEGRAM_PREFIX, TELEGRAM), ("+", SMS)):
        connection.execute(
            update(Row).where(Row.conversation_id.like(f"{prefix}%")).values(channel=channel)
        )


def legacy_state_present(legacy: Engine) -> bool:
    """Whether ``legacy`` holds the project's tables (a database of release 0.1)."""
    return "handoffs" in inspect(legacy).get_table_names()


def _reset_sequence(connection, table) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL: move an integer id's sequence past the copied ids."""
    if connection.dialect.name != "postgresql":
        return
    for column in table.primary_key.columns:
        if isinstance(column.type, Integer) and column.autoincrement is not False:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                    f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                )
            )
