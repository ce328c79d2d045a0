"""Alembic's environment: runs on the connection ``bot.state.schema`` hands in."""

from __future__ import annotations

from alembic import context

from bot.state.base import StateBase
from bot.state.schema import state_models

state_models()
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run the migrations through bot.state.schema.migrate (telecom-assistant migrate)"
    )
context.configure(connection=connection, target_metadata=StateBase.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
