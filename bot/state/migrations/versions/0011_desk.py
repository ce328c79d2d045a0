"""The desk: roles, presence and time zones of agents; canned replies; notes; transfers;
the change log that console instances tail for live push.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy of ``agents`` would cascade-delete console sessions.
    op.add_column(
        "agents",
        sa.Column("role", sa.String(length=16), server_default=sa.text("'agent'"), nullable=False),
    )
    op.add_column(
        "agents",
        sa.Column(
            "presence",
            sa.String(length=16),
            server_default=sa.text("'available'"),
            nullable=False,
        ),
    )
    op.add_column("agents", sa.Column("presence_at", sa.DateTime(), nullable=True))
    op.add_column(
        "agents",
        sa.Column(
            "time_zone",
            sa.String(length=64),
            server_default=sa.text("'Asia/Shanghai'"),
            nullable=False,
        ),
    )
    op.add_column("agents", sa.Column("password_changed_at", sa.DateTime(), nullable=True))
    op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("canned_replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_canned_replies_language"), ["language"])
    op.create_table(
        "desk_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.String(length=16), nullable=True),
        sa.Column("agent", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("desk_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_notes_handoff_id"), ["handoff_id"])
        batch_op.create_index(batch_op.f("ix_desk_notes_ticket_id"), ["ticket_id"])
    op.create_table(
        "case_transfers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("from_agent", sa.String(length=32), nullable=True),
        sa.Column("to_agent", sa.String(length=32), nullable=True),
        sa.Column("by_agent", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_transfers_handoff_id"), ["handoff_id"])
    op.create_table(
        "desk_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.String(length=16), nullable=True),
        sa.Column("agent", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("desk_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_events_created_at"), ["created_at"])


def downgrade() -> None:
    with op.batch_alter_table("desk_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_events_created_at"))
    op.drop_table("desk_events")
    with op.batch_alter_table("case_transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_transfers_handoff_id"))
    op.drop_table("case_transfers")
    with op.batch_alter_table("desk_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_notes_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_desk_notes_handoff_id"))
    op.drop_table("desk_notes")
    with op.batch_alter_table("canned_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canned_replies_language"))
    op.drop_table("canned_replies")
    for column in ("password_changed_at", "time_zone", "presence_at", "presence", "role"):
        op.drop_column("agents", column)
