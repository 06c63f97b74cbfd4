"""An index that answers, from the card's id alone, whether it is active and which deck file
holds it: reading the reviews due joins every one of them to its card for that (800 of them
at 10,000 cards), and with the index SQLite never reads the card's row itself.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index("ix_card_scope", "card", ["id", "retired", "path"])


def downgrade() -> None:
    op.drop_index("ix_card_scope", table_name="card")
