"""Proactive notices: the durable record of each notice (customer, kind, cycle) and opt-outs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 22:40:00.000000
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
