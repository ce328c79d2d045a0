"""Baseline: the project's own tables as release 0.1 created them.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 19:42:43.022316
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Databases of the previous release (0.1) already hold these tables (created
    # by ``create_all``): only what is missing is created, nothing is altered.
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "agents" not in existing:
        op.create_table(
            "agents",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("username", sa.String(length=32), nullable=False),
            sa.Column("password_hash", sa.String(length=255), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("username"),
        )
    if "conversation_sessions" not in existing:
        op.create_table(
            "conversation_sessions",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("conversation_id", sa.String(length=128), nullable=False),
            sa.Column("channel", sa.String(length=32), nullable=False),
            sa.Column("started_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("conversation_sessions", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_conversation_sessions_conversation_id"),
                ["conversation_id"],
                unique=False,
            )
    if "handoffs" not in existing:
        op.create_table(
            "handoffs",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("conversation_id", sa.String(length=128), nullable=False),
            sa.Column("msisdn", sa.String(length=20), nullable=True),
            sa.Column("channel", sa.String(length=32), nullable=False),
            sa.Column("language", sa.String(length=2), nullable=False),
            sa.Column("reason", sa.String(length=32), nullable=False),
            sa.Column("detail", sa.Text(), nullable=True),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("claimed_by", sa.String(length=64), nullable=True),
            sa.Column("claimed_at", sa.DateTime(), nullable=True),
            sa.Column("resolved_at", sa.DateTime(), nullable=True),
            sa.Column("resolution_note", sa.Text(), nullable=True),
            sa.Column("wait_notice_at", sa.DateTime(), nullable=True),
            sa.Column("callback_requested", sa.Boolean(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("handoffs", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_handoffs_conversation_id"), ["conversation_id"], unique=False
            )
            batch_op.create_index(batch_op.f("ix_handoffs_msisdn"), ["msisdn"], unique=False)
            batch_op.create_index(batch_op.f("ix_handoffs_status"), ["status"], unique=False)
    if "pending_messages" not in existing:
        op.create_table(
            "pending_messages",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("conversation_id", sa.String(length=128), nullable=False),
            sa.Column("message", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("pending_messages", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_pending_messages_conversation_id"), ["conversation_id"], unique=False
            )
    if "phone_verifications" not in existing:
        op.create_table(
            "phone_verifications",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("conversation_id", sa.String(length=128), nullable=False),
            sa.Column("msisdn", sa.String(length=20), nullable=False),
            sa.Column("code_hash", sa.String(length=64), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("expires_at", sa.DateTime(), nullable=False),
            sa.Column("verified_at", sa.DateTime(), nullable=True),
            sa.Column("locked_until", sa.DateTime(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("phone_verifications", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_phone_verifications_conversation_id"),
                ["conversation_id"],
                unique=False,
            )
    if "satisfaction_ratings" not in existing:
        op.create_table(
            "satisfaction_ratings",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("conversation_id", sa.String(length=128), nullable=False),
            sa.Column("rating", sa.String(length=16), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("satisfaction_ratings", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_satisfaction_ratings_conversation_id"),
                ["conversation_id"],
                unique=False,
            )
    if "telegram_links" not in existing:
        op.create_table(
            "telegram_links",
            sa.Column("telegram_user_id", sa.BigInteger(), autoincrement=False, nullable=False),
            sa.Column("msisdn", sa.String(length=20), nullable=False),
            sa.Column("linked_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("telegram_user_id"),
        )
        with op.batch_alter_table("telegram_links", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_telegram_links_msisdn"), ["msisdn"], unique=True)
    if "webhook_deliveries" not in existing:
        op.create_table(
            "webhook_deliveries",
            sa.Column("channel", sa.String(length=16), nullable=False),
            sa.Column("sender", sa.String(length=64), nullable=False),
            sa.Column("message_id", sa.String(length=128), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("response", sa.Text(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("channel", "sender", "message_id"),
        )
        with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f("ix_webhook_deliveries_created_at"), ["created_at"], unique=False
            )
    if "console_sessions" not in existing:
        op.create_table(
            "console_sessions",
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("agent", sa.String(length=32), nullable=False),
            sa.Column("csrf_token", sa.String(length=64), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("last_seen", sa.DateTime(), nullable=False),
            sa.Column("flash", sa.Text(), nullable=True),
            sa.Column("flash_kind", sa.String(length=8), nullable=True),
            sa.ForeignKeyConstraint(["agent"], ["agents.username"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("token_hash"),
        )
        with op.batch_alter_table("console_sessions", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_console_sessions_agent"), ["agent"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("the baseline is never downgraded: that would drop every table")
