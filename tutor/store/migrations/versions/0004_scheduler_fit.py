"""The scheduler's parameters fitted to the learner's own reviews, with how each fit did.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "scheduler_fit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("fitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("heldout", sa.Integer(), nullable=False),
        sa.Column("default_loss", sa.Float(), nullable=False),
        sa.Column("fitted_loss", sa.Float(), nullable=False),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scheduler_fit")
