"""Notice preferences: which kinds of notice each customer has turned off.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 22:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice_preferences",
        sa.Column("msisdn", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("msisdn", "kind"),
    )


def downgrade() -> None:
    op.drop_table("notice_preferences")
