"""The first schema: cards, memory states, reviews, attempts, notes, progress, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Frozen copies of the identity in tutor/store/engine.py: a revision must not change when the
# code around it does.
APPLICATION_ID = 0x50545554  # "PTUT"
APP_NAME = "proof-tutor"


def utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    op.create_table(
        "card",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("deck_id", sa.String(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("added_at", utc(), nullable=False),
        sa.Column("retired_at", utc(), nullable=True),
    )
    op.create_index("ix_card_active", "card", ["retired", "path", "position"])
    op.create_table(
        "meta",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "memory",
        sa.Column("card_id", sa.String(), sa.ForeignKey("card.id"), primary_key=True),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", utc(), nullable=False),
        sa.Column("last_review", utc(), nullable=True),
    )
    op.create_index("ix_memory_due", "memory", ["due"])
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("card_id", sa.String(), sa.ForeignKey("card.id"), nullable=False),
        sa.Column("study_day", sa.Date(), nullable=False),
        sa.Column("started_at", utc(), nullable=False),
        sa.Column("ended_at", utc(), nullable=False),
        sa.Column("active_seconds", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("hints_used", sa.Integer(), nullable=False),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("verdicts", sa.String(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("final_answer", sa.Text(), nullable=False),
        sa.Column("ideas_recalled", sa.Integer(), nullable=True),
        sa.Column("ideas_total", sa.Integer(), nullable=True),
        sa.CheckConstraint("rating BETWEEN 1 AND 4", name="ck_review_rating"),
    )
    op.create_index("ix_review_card", "review", ["card_id", "id"])
    op.create_index("ix_review_day", "review", ["study_day", "success"])
    op.create_table(
        "attempt",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("card_id", sa.String(), sa.ForeignKey("card.id"), nullable=False),
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("review.id"), nullable=True),
        sa.Column("at", utc(), nullable=False),
        sa.Column("active_seconds", sa.Float(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("verdict", sa.String(), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=False),
    )
    op.create_index("ix_attempt_card", "attempt", ["card_id", "review_id"])
    op.create_index("ix_attempt_review_id", "attempt", ["review_id"])
    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("card_id", sa.String(), sa.ForeignKey("card.id"), nullable=False),
        sa.Column("written_at", utc(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_note_card", "note", ["card_id", "written_at"])
    op.create_table(
        "progress",
        sa.Column("slot", sa.Integer(), primary_key=True),
        sa.Column("card_id", sa.String(), sa.ForeignKey("card.id"), nullable=False),
        sa.Column("study_day", sa.Date(), nullable=False),
        sa.Column("started_at", utc(), nullable=False),
        sa.Column("updated_at", utc(), nullable=False),
        sa.Column("active_seconds", sa.Float(), nullable=False),
        sa.Column("hints_shown", sa.Integer(), nullable=False),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("state_json", sa.Text(), nullable=False),
        sa.CheckConstraint("slot = 1", name="ck_progress_one_row"),
    )
    meta = sa.table("meta", sa.column("key", sa.String()), sa.column("value", sa.Text()))
    op.bulk_insert(meta, [{"key": "app", "value": APP_NAME}])


def downgrade() -> None:
    for table in ("progress", "note", "attempt", "review", "memory", "meta", "card"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA application_id = 0")
