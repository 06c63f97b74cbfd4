"""What picking today's card needs, kept per card: prerequisites, reconstructed, run, last day.

Picking a card needed, for every card, whether it was ever reconstructed and the day of its last
review (a pass over all reviews, a second at a million), and the prerequisites from the parsed
decks. These columns keep them per card, so the pick reads one row per card; the upgrade fills
the memory columns from the reviews already saved (`requires` fills at the next deck sync).

And a `study_day` table: each day's count of reviews and successes, and of reviews of cards seen
before (retention), so that streaks and `tutor stats` read a row a day, not every review.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("card") as batch:
        batch.add_column(sa.Column("requires", sa.String(), nullable=False, server_default=""))
    # the stored deck-set digest predates `requires`: make the next start sync again
    op.execute("DELETE FROM meta WHERE key = 'deck_set_hash'")
    with op.batch_alter_table("memory") as batch:
        batch.add_column(
            sa.Column("reconstructed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("run", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_day", sa.Date(), nullable=True))
    op.execute(
        """
        UPDATE memory SET
          reconstructed = EXISTS (
            SELECT 1 FROM review r WHERE r.card_id = memory.card_id AND r.success
          ),
          last_day = (SELECT max(r.study_day) FROM review r WHERE r.card_id = memory.card_id),
          run = (
            SELECT count(*) FROM review r
            WHERE r.card_id = memory.card_id AND r.id > coalesce(
              (SELECT max(f.id) FROM review f WHERE f.card_id = memory.card_id AND NOT f.success),
              0
            )
          )
        """
    )

    op.create_table(
        "study_day",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("successes", sa.Integer(), nullable=False),
        sa.Column("repeat_reviews", sa.Integer(), nullable=False),
        sa.Column("repeat_successes", sa.Integer(), nullable=False),
    )
    op.execute(
        """
        INSERT INTO study_day (day, reviews, successes, repeat_reviews, repeat_successes)
        SELECT r.study_day,
               count(*),
               sum(CASE WHEN r.success THEN 1 ELSE 0 END),
               sum(CASE WHEN r.id <> f.first_id THEN 1 ELSE 0 END),
               sum(CASE WHEN r.id <> f.first_id AND r.success THEN 1 ELSE 0 END)
        FROM review r
        JOIN (SELECT card_id, min(id) AS first_id FROM review GROUP BY card_id) f
          ON f.card_id = r.card_id
        GROUP BY r.study_day
        """
    )


def downgrade() -> None:
    op.drop_table("study_day")
    with op.batch_alter_table("memory") as batch:
        batch.drop_column("last_day")
        batch.drop_column("run")
        batch.drop_column("reconstructed")
    with op.batch_alter_table("card") as batch:
        batch.drop_column("requires")
