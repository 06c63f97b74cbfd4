"""Where each card's text sits in its deck file: showing a card reads that part of the file and
the file's head instead of the whole file (`tutor.deck.parser.read_card`). Four nullable
columns on `card`; rows without them read the whole file, as before. The decks are synced
again at the next start, which fills them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

COLUMNS = ("span_head", "span_start", "span_end", "span_line")


def upgrade() -> None:
    with op.batch_alter_table("card") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
    # A sync is skipped while the deck files, and the cards read from them, are those synced
    # last: forget both, so that the next start syncs and the spans are stored.
    op.execute("DELETE FROM meta WHERE key IN ('deck_files', 'deck_set_hash')")


def downgrade() -> None:
    with op.batch_alter_table("card") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
