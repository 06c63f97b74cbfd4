"""Each card's reading: the card and its deck's head as the parser read them at the last sync,
kept as JSON on its row (`tutor.deck.reading`), so that showing a card parses nothing. One
nullable column on `card`; rows without it read their span of the file, as before. The decks
are synced again at the next start, which fills it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("card") as batch:
        batch.add_column(sa.Column("reading", sa.Text(), nullable=True))
    # A sync is skipped while the deck files, and the cards read from them, are those synced
    # last: forget both, so that the next start syncs and the readings are stored.
    op.execute("DELETE FROM meta WHERE key IN ('deck_files', 'deck_set_hash')")


def downgrade() -> None:
    with op.batch_alter_table("card") as batch:
        batch.drop_column("reading")
