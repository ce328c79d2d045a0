"""Handoff cases remember the web-chat client's address: open cases per address are limited.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 18:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_address", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_handoffs_client_address"), ["client_address"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoffs_client_address"))
        batch_op.drop_column("client_address")
