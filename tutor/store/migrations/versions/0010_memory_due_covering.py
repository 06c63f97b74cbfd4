"""The reviews due read from their index alone: the index of a learner's memory rows by due
date holds every column the day's first reviews are read for, so that reading them (800 due
at 10,000 cards) reads the index in due order, not each row where it lies in the table: on a
connection just opened, with nothing in its cache, a millisecond of the day's first card.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None

# models.MEMORY_DUE_COLUMNS as this revision made them
COLUMNS = [
    "learner",
    "due",
    "last_day",
    "last_review",
    "stability",
    "card_id",
    "state",
    "step",
    "difficulty",
    "reconstructed",
    "run",
]


def upgrade() -> None:
    op.drop_index("ix_memory_learner_due", table_name="memory")
    op.create_index("ix_memory_due", "memory", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_memory_due", table_name="memory")
    op.create_index("ix_memory_learner_due", "memory", ["learner", "due"])
