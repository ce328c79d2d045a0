"""Plan offers: how each customer answered the quarter's offer (accepted or declined).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offer_responses",
        sa.Column("msisdn", sa.String(length=20), nullable=False),
        sa.Column("cycle", sa.String(length=7), nullable=False),
        sa.Column("plan_code", sa.String(length=16), nullable=False),
        sa.Column("saving_cents", sa.Integer(), nullable=False),
        sa.Column("response", sa.String(length=8), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("responded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("msisdn", "cycle"),
    )
    with op.batch_alter_table("offer_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_responses_response"), ["response"])


def downgrade() -> None:
    with op.batch_alter_table("offer_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_responses_response"))
    op.drop_table("offer_responses")
