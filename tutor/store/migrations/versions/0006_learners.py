"""Learners: every row of progress belongs to one learner, so that a study group shares a
database (and its cards) and nothing else. A `learner` table lists them; memory, reviews, study
days, attempts, notes, the unfinished card and the scheduler's fits gain a `learner` column, and
the tables keyed by card or day alone are keyed by learner too. An attempt keeps how the
checker read it (`read_as`), which `tutor report` groups wrong answers by.

Existing rows go to the learner who opens the database with this release (`--learner`,
TUTOR_LEARNER, `learner` in config.toml, else the system user name), handed to the migration by
`tutor.store.engine.upgrade` through `config.attributes["learner"]`; `tutor learners --rename`
gives them to another name afterwards.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

# Frozen copy of tutor.config.FALLBACK_LEARNER: a revision must not change with the code.
FALLBACK_LEARNER = "learner"

PROGRESS_TABLES = (
    "memory",
    "review",
    "study_day",
    "attempt",
    "note",
    "progress",
    "scheduler_fit",
)


def utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _learner() -> str:
    config = op.get_context().config
    name = config.attributes.get("learner") if config is not None else None
    return name if isinstance(name, str) and name else FALLBACK_LEARNER


def upgrade() -> None:
    learner = _learner()
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    had_progress = any(
        bind.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None
        for table in PROGRESS_TABLES
    )
    learners = op.create_table(
        "learner",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("added_at", utc(), nullable=False),
    )
    if had_progress:
        op.bulk_insert(learners, [{"name": learner, "added_at": datetime.now(UTC)}])

    # Tables with an id of their own: a column and learner-first indexes. SQLite keeps the
    # column's default (it cannot drop one without copying the table); the code always names
    # the learner, so the default is never used.
    for table in ("review", "attempt", "note", "scheduler_fit"):
        op.add_column(
            table, sa.Column("learner", sa.String(), nullable=False, server_default=learner)
        )
        if not sqlite:
            op.alter_column(table, "learner", server_default=None)
    op.add_column("attempt", sa.Column("read_as", sa.Text(), nullable=False, server_default=""))
    if not sqlite:
        op.alter_column("attempt", "read_as", server_default=None)
    op.drop_index("ix_review_card", "review")
    op.drop_index("ix_review_day", "review")
    op.create_index("ix_review_learner_card", "review", ["learner", "card_id", "id"])
    op.create_index("ix_review_learner_day", "review", ["learner", "study_day", "success"])
    op.drop_index("ix_attempt_card", "attempt")
    op.create_index("ix_attempt_learner_card", "attempt", ["learner", "card_id", "review_id"])
    op.drop_index("ix_note_card", "note")
    op.create_index("ix_note_learner_card", "note", ["learner", "card_id", "written_at"])
    op.create_index("ix_scheduler_fit_learner", "scheduler_fit", ["learner", "id"])

    # Tables keyed by card, day or a single slot: made again with the learner in the key.
    _remake(
        "memory",
        [
            sa.Column("learner", sa.String(), primary_key=True),
            sa.Column("card_id", sa.String(), sa.ForeignKey("card.id"), primary_key=True),
            sa.Column("state", sa.Integer(), nullable=False),
            sa.Column("step", sa.Integer(), nullable=True),
            sa.Column("stability", sa.Float(), nullable=True),
            sa.Column("difficulty", sa.Float(), nullable=True),
            sa.Column("due", utc(), nullable=False),
            sa.Column("last_review", utc(), nullable=True),
            sa.Column("reconstructed", sa.Boolean(), nullable=False),
            sa.Column("run", sa.Integer(), nullable=False),
            sa.Column("last_day", sa.Date(), nullable=True),
        ],
        learner,
    )
    op.create_index("ix_memory_learner_due", "memory", ["learner", "due"])
    _remake(
        "study_day",
        [
            sa.Column("learner", sa.String(), primary_key=True),
            sa.Column("day", sa.Date(), primary_key=True),
            sa.Column("reviews", sa.Integer(), nullable=False),
            sa.Column("successes", sa.Integer(), nullable=False),
            sa.Column("repeat_reviews", sa.Integer(), nullable=False),
            sa.Column("repeat_successes", sa.Integer(), nullable=False),
        ],
        learner,
    )
    _remake(
        "progress",
        [
            sa.Column("learner", sa.String(), primary_key=True),
            sa.Column("card_id", sa.String(), sa.ForeignKey("card.id"), nullable=False),
            sa.Column("study_day", sa.Date(), nullable=False),
            sa.Column("started_at", utc(), nullable=False),
            sa.Column("updated_at", utc(), nullable=False),
            sa.Column("active_seconds", sa.Float(), nullable=False),
            sa.Column("hints_shown", sa.Integer(), nullable=False),
            sa.Column("revealed", sa.Boolean(), nullable=False),
            sa.Column("state_json", sa.Text(), nullable=False),
        ],
        learner,
    )


def _remake(table: str, columns: list[sa.Column[object]], learner: str) -> None:
    """Make `table` again with `columns` (the first one `learner`), its rows copied with
    `learner` as theirs."""
    names = [column.name for column in columns[1:]]
    op.create_table(f"{table}_new", *columns)
    listed = ", ".join(names)
    op.execute(
        sa.text(
            f"INSERT INTO {table}_new (learner, {listed}) SELECT :learner, {listed} FROM {table}"
        ).bindparams(learner=learner)
    )
    op.drop_table(table)
    op.rename_table(f"{table}_new", table)


def downgrade() -> None:
    raise NotImplementedError(
        "a database with learners cannot go back to one without them: restore a backup instead"
    )
