"""Real SMS gateways: messages sent through Kannel/Twilio-style gateways, their delivery reports.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 22:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_outbound",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("gateway", sa.String(length=16), nullable=False),
        sa.Column("msisdn", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("foreign_id", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("retry_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sms_outbound", schema=None) as batch_op:
        for column in ("msisdn", "status", "foreign_id", "created_at", "retry_at"):
            batch_op.create_index(batch_op.f(f"ix_sms_outbound_{column}"), [column])
    op.create_table(
        "sms_delivery_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["sms_outbound.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sms_delivery_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_delivery_reports_message_id"), ["message_id"])


def downgrade() -> None:
    with op.batch_alter_table("sms_delivery_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_delivery_reports_message_id"))
    op.drop_table("sms_delivery_reports")
    with op.batch_alter_table("sms_outbound", schema=None) as batch_op:
        for column in ("retry_at", "created_at", "foreign_id", "status", "msisdn"):
            batch_op.drop_index(batch_op.f(f"ix_sms_outbound_{column}"))
    op.drop_table("sms_outbound")
