"""The tables. Content (the decks) is the source of truth for text; these rows hold progress.

Cards are matched by the id they have in the decks; a card that leaves the decks is retired,
never deleted, so its reviews, attempts and notes stay. Cards are shared; every row of progress
(memory, reviews, study days, attempts, notes, the unfinished card, fits) belongs to one learner,
named in its `learner` column (revision 0006): learners share a database and nothing else.

Every datetime is timezone-aware UTC: `UTCDateTime` refuses naive values on the way in and gives
UTC back on the way out (SQLite keeps no time zone, so its values are stored as naive UTC and
tagged again when read).

A new column or table here needs a new revision under `migrations/versions/`;
`tests/store/test_migrations.py` fails while the two disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Index, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"the store keeps timezone-aware datetimes only, got naive {value}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        # the text SQLite's DATETIME writes of `process_bind_param`'s naive UTC value
        # ("2026-03-01 09:30:00.000000"), made in one step: an answer binds seven instants
        # (tests/store/test_models.py holds the two equal)
        bind = self.process_bind_param

        def process(value: Any) -> str | None:
            naive = bind(value, dialect)
            return None if naive is None else naive.isoformat(" ", "microseconds")

        return process

    def result_processor(
        self, dialect: Dialect, coltype: Any
    ) -> Callable[[Any], datetime | None] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        # SQLite hands back the text SQLAlchemy stored ("2026-03-01 09:30:00.000000", UTC):
        # one C-level parse instead of the generic chain, as reading 10,000 states is on the
        # path of picking today's card.
        parse = datetime.fromisoformat

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            if isinstance(value, str):
                try:
                    return parse(value + "+00:00")  # tzinfo is datetime.UTC itself
                except ValueError:  # written by hand with an offset, say
                    return self.process_result_value(parse(value), dialect)
            return self.process_result_value(value, dialect)

        return process

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class LearnerRow(SQLModel, table=True):
    """A learner who has studied with this database (revision 0006)."""

    __tablename__ = "learner"

    name: str = Field(primary_key=True)
    added_at: datetime = Field(sa_type=UTCDateTime)


class CardRow(SQLModel, table=True):
    """A card known to the database: where it is in the decks and whether it was retired."""

    __tablename__ = "card"
    __table_args__ = (
        Index("ix_card_active", "retired", "path", "position"),
        Index("ix_card_scope", "id", "retired", "path"),  # the reviews due, joined (0008)
    )

    id: str = Field(primary_key=True)
    deck_id: str
    path: str
    position: int
    content_hash: str
    requires: str = ""  # its prerequisites' ids, comma-separated (revision 0002)
    retired: bool = False
    added_at: datetime = Field(sa_type=UTCDateTime)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Where its text sits in its deck file, as the last sync read it (`tutor.deck.model.Span`),
    # so that showing it reads that part of the file alone (revision 0007). None for a row
    # synced before, a proof's step and a whole-proof card (their whole file is read).
    span_head: int | None = None  # the file's head: its first span_head bytes
    span_start: int | None = None  # the card's text: bytes [span_start, span_end)
    span_end: int | None = None
    span_line: int | None = None  # the line of its heading
    # The card and its deck's head as the parser read them at that sync, JSON
    # (`tutor.deck.reading`, revision 0009): showing the card reads no file. None when it has
    # no span, and for a row synced before.
    reading: str | None = Field(default=None, sa_type=Text)


MEMORY_DUE_COLUMNS = (
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
)
"""The columns of the index of the reviews due (`ix_memory_due`), its key first."""


class MemoryRow(SQLModel, table=True):
    """The FSRS memory state of a card that has been reviewed at least once."""

    __tablename__ = "memory"
    # The reviews due, with every column they are read for: reading the day's first reviews
    # (`tutor.store.reads`) reads this index alone, in due order, not each row (revision 0010)
    __table_args__ = (Index("ix_memory_due", *MEMORY_DUE_COLUMNS),)

    learner: str = Field(primary_key=True)
    card_id: str = Field(primary_key=True, foreign_key="card.id")
    state: int
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime = Field(sa_type=UTCDateTime)
    last_review: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # What picking today's card needs of the reviews, kept here so that it reads one row per
    # card instead of scanning every review (revision 0002):
    reconstructed: bool = False  # reconstructed successfully at least once
    run: int = 0  # successful reconstructions in a row, up to the last review
    last_day: date | None = None  # the study day of the last review


class ReviewRow(SQLModel, table=True):
    """One finished review of a card."""

    __tablename__ = "review"
    __table_args__ = (
        Index("ix_review_learner_card", "learner", "card_id", "id"),
        Index("ix_review_learner_day", "learner", "study_day", "success"),
        CheckConstraint("rating BETWEEN 1 AND 4", name="ck_review_rating"),
    )

    id: int | None = Field(default=None, primary_key=True)
    learner: str
    card_id: str = Field(foreign_key="card.id")
    study_day: date
    started_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime = Field(sa_type=UTCDateTime)
    active_seconds: float
    attempts: int = 0
    hints_used: int = 0
    revealed: bool = False
    verdicts: str = "[]"  # JSON list of verdict words, one per attempt
    rating: int
    success: bool  # reconstructed without revealing the answer
    final_answer: str = Field(default="", sa_type=Text)
    ideas_recalled: int | None = None  # self-assessed cards only
    ideas_total: int | None = None


class StudyDayRow(SQLModel, table=True):
    """What each study day's reviews came to: kept with every review (revision 0002), so that
    streaks and `tutor stats` read one row a day instead of every review."""

    __tablename__ = "study_day"

    learner: str = Field(primary_key=True)
    day: date = Field(primary_key=True)
    reviews: int = 0
    successes: int = 0  # reviews that were reconstructions (correct, answer not revealed)
    repeat_reviews: int = 0  # reviews of cards reviewed before: what retention is measured on
    repeat_successes: int = 0


class AttemptRow(SQLModel, table=True):
    """One submitted answer; `review_id` is set when the review it belongs to is saved."""

    __tablename__ = "attempt"
    __table_args__ = (Index("ix_attempt_learner_card", "learner", "card_id", "review_id"),)

    id: int | None = Field(default=None, primary_key=True)
    learner: str
    card_id: str = Field(foreign_key="card.id")
    review_id: int | None = Field(default=None, foreign_key="review.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    active_seconds: float
    answer: str = Field(sa_type=Text)
    verdict: str
    feedback: str = Field(default="", sa_type=Text)
    read_as: str = Field(default="", sa_type=Text)
    """How the checker read the answer (empty: not machine-checked, or before revision 0006):
    what `tutor report` groups wrong answers by."""
    step: str | None = None
    """In a whole-proof sitting (`card_id` the whole-proof card): the id of the proof step the
    answer is for, so that reports can read how each step fares (revision 0005)."""


class NoteRow(SQLModel, table=True):
    """A confusion note the learner wrote about a card."""

    __tablename__ = "note"
    __table_args__ = (Index("ix_note_learner_card", "learner", "card_id", "written_at"),)

    id: int | None = Field(default=None, primary_key=True)
    learner: str
    card_id: str = Field(foreign_key="card.id")
    written_at: datetime = Field(sa_type=UTCDateTime)
    text: str = Field(sa_type=Text)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the learner marked it resolved: it no longer comes back (revision 0003)."""


class ProgressRow(SQLModel, table=True):
    """The unfinished card, so that quitting and starting again resumes it: at most one row a
    learner, its primary key."""

    __tablename__ = "progress"

    learner: str = Field(primary_key=True)
    card_id: str = Field(foreign_key="card.id")
    study_day: date
    started_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    active_seconds: float = 0.0
    hints_shown: int = 0
    revealed: bool = False
    state_json: str = Field(default="{}", sa_type=Text)  # the study engine's, opaque here


class MetaRow(SQLModel, table=True):
    """Key/value facts about the database itself (see `META_*` in `queries`)."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str = Field(sa_type=Text)


class SchedulerFitRow(SQLModel, table=True):
    """One fit of the FSRS parameters to a learner's reviews (revision 0004). The learner's
    newest row says which parameters the scheduler uses: its own when `kept`, else FSRS's
    defaults."""

    __tablename__ = "scheduler_fit"
    __table_args__ = (Index("ix_scheduler_fit_learner", "learner", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    learner: str
    fitted_at: datetime = Field(sa_type=UTCDateTime)
    reviews: int  # reviews in the log fitted
    heldout: int  # held-out reviews predicted to judge the fit
    default_loss: float  # their log loss under the defaults
    fitted_loss: float  # and under the parameters fitted on the reviews before them
    kept: bool  # the fit was better: its parameters are in use
    parameters: str = Field(sa_type=Text)  # JSON list of the 21 fitted weights
