"""Trust boundaries: proposals, code-request counters, verifications bound to a channel,
one rating per case.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 19:43:02.488782
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "code_request_counters",
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "window_start"),
    )
    op.create_table(
        "proposals",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("msisdn", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposals_conversation_id"), ["conversation_id"], unique=False
        )

    with op.batch_alter_table("phone_verifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "channel", sa.String(length=16), server_default=sa.text("'rest'"), nullable=False
            )
        )
        batch_op.create_index(batch_op.f("ix_phone_verifications_msisdn"), ["msisdn"], unique=False)
    # Rows of 0.1 get the channel their conversation id belongs to.
    verifications = sa.table(
        "phone_verifications",
        sa.column("conversation_id", sa.String),
        sa.column("channel", sa.String),
    )
    for prefix, channel in (("tg-", "telegram"), ("+", "sms")):
        op.execute(
            verifications.update()
            .where(verifications.c.conversation_id.like(f"{prefix}%"))
            .values(channel=channel)
        )

    with op.batch_alter_table("satisfaction_ratings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handoff_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_satisfaction_ratings_handoff_id"), ["handoff_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("satisfaction_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_satisfaction_ratings_handoff_id"))
        batch_op.drop_column("handoff_id")

    with op.batch_alter_table("phone_verifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_verifications_msisdn"))
        batch_op.drop_column("channel")

    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_conversation_id"))

    op.drop_table("proposals")
    op.drop_table("code_request_counters")
