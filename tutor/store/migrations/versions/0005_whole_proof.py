"""The whole-proof card: an attempt made in a whole-proof sitting names the step it answers,
and the decks are synced again at the next start, which adds a whole-proof card for each proof
(`tutor.study.proof`).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("attempt") as batch:
        batch.add_column(sa.Column("step", sa.String(), nullable=True))
    # A sync is skipped while the deck files, and the cards read from them, are those synced
    # last: forget both, so that the next start syncs and the whole-proof cards join the table.
    op.execute("DELETE FROM meta WHERE key IN ('deck_files', 'deck_set_hash')")


def downgrade() -> None:
    with op.batch_alter_table("attempt") as batch:
        batch.drop_column("step")
