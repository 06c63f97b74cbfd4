"""Every table round-trips through a real SQLite file, datetimes as aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import SQLModel, select

from tutor.store.models import (
    AttemptRow,
    CardRow,
    MemoryRow,
    MetaRow,
    NoteRow,
    ProgressRow,
    ReviewRow,
)
from tutor.store.queries import learner_session
from tutor.study.learner import default_learner

from .conftest import T0, add_cards, attempt_of, memory_of, review_of

PARIS = timezone(timedelta(hours=2))


def reread(engine: Engine, model: type[SQLModel]) -> list[dict[str, object]]:
    """All rows of a table, read by a fresh session (nothing cached from the writer)."""
    with learner_session(engine, default_learner()) as fresh:
        return [row.model_dump() for row in fresh.exec(select(model))]


def write(engine: Engine, *rows: SQLModel) -> list[dict[str, object]]:
    with learner_session(engine, default_learner()) as session:
        for row in rows:
            session.add(row)
            session.commit()
        for row in rows:
            session.refresh(row)
        return [row.model_dump() for row in rows]


def test_card_round_trip(engine: Engine) -> None:
    written = write(
        engine,
        CardRow(
            id="prob-1",
            deck_id="prob",
            path="decks/prob.md",
            position=4,
            content_hash="abc",
            retired=True,
            added_at=T0,
            retired_at=T0 + timedelta(days=2),
        ),
        CardRow(id="prob-2", deck_id="prob", path="p", position=5, content_hash="d", added_at=T0),
    )
    assert reread(engine, CardRow) == written
    assert written[1]["retired"] is False and written[1]["retired_at"] is None
    assert written[0]["retired_at"] == datetime(2026, 3, 3, 9, 30, tzinfo=UTC)


def test_memory_review_attempt_note_progress_round_trip(engine: Engine) -> None:
    with learner_session(engine, default_learner()) as session:
        add_cards(session, "c1")
    review = review_of("c1")
    review.ideas_recalled, review.ideas_total = 2, 3
    written = write(
        engine,
        memory_of("c1"),
        review,
        attempt_of("c1", 1, "incorrect"),
        NoteRow(
            learner=default_learner(),
            card_id="c1",
            written_at=T0,
            text="why does the shift cancel?",
        ),
        ProgressRow(
            learner=default_learner(),
            card_id="c1",
            study_day=date(2026, 3, 1),
            started_at=T0,
            updated_at=T0 + timedelta(seconds=90),
            active_seconds=90.25,
            hints_shown=1,
            revealed=False,
            state_json='{"phase": "thinking"}',
        ),
        MetaRow(key="k", value="v"),
    )
    memory, review_d, attempt, note, progress, _meta = written
    assert reread(engine, MemoryRow) == [memory]
    assert reread(engine, ReviewRow) == [review_d]
    assert reread(engine, AttemptRow) == [attempt]
    assert reread(engine, NoteRow) == [note]
    assert reread(engine, ProgressRow) == [progress]
    assert {"key": "k", "value": "v"} in reread(engine, MetaRow)
    assert review_d["ideas_recalled"] == 2 and review_d["ideas_total"] == 3
    assert review_d["study_day"] == date(2026, 3, 1)
    assert progress["learner"] == default_learner()
    assert progress["state_json"] == '{"phase": "thinking"}'
    assert memory["step"] is None and memory["stability"] == 3.5


def test_datetimes_come_back_aware_utc_whatever_zone_went_in(engine: Engine) -> None:
    with learner_session(engine, default_learner()) as session:
        add_cards(session, "c1")
        local = datetime(2026, 3, 1, 11, 30, tzinfo=PARIS)  # 09:30 UTC
        session.add(MemoryRow(learner=default_learner(), card_id="c1", state=0, due=local))
        session.commit()
    with learner_session(engine, default_learner()) as fresh:
        row = fresh.exec(select(MemoryRow)).one()
        assert row.due == T0
        assert row.due.tzinfo is UTC
        assert row.last_review is None
        # SQLite keeps naive UTC text, so ordering by the column is ordering by the instant
        stored = fresh.exec(text("SELECT due FROM memory")).one()[0]  # type: ignore[call-overload]
        assert stored.startswith("2026-03-01 09:30:00")


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    with learner_session(engine, default_learner()) as session:
        session.add(
            NoteRow(
                learner=default_learner(),
                card_id="x",
                written_at=datetime(2026, 3, 1, 9, 30),
                text="t",
            )
        )
        with pytest.raises(StatementError, match="timezone-aware"):
            session.commit()


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with learner_session(engine, default_learner()) as session:
        session.add(
            NoteRow(learner=default_learner(), card_id="no-such-card", written_at=T0, text="t")
        )
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            session.commit()


def test_progress_holds_one_row_a_learner_at_most(engine: Engine) -> None:
    def progress(learner: str) -> ProgressRow:
        return ProgressRow(
            learner=learner,
            card_id="c1",
            study_day=date(2026, 3, 1),
            started_at=T0,
            updated_at=T0,
        )

    with learner_session(engine, default_learner()) as session:
        add_cards(session, "c1")
        session.add_all([progress("ada"), progress("grace")])
        session.commit()  # one each: two learners
        session.add(progress("ada"))
        with pytest.raises(IntegrityError, match=r"UNIQUE constraint failed"):
            session.commit()


@settings(max_examples=400, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.timezones()
    )
)
def test_an_instant_is_bound_on_sqlite_as_sqlalchemys_datetime_binds_it(moment: datetime) -> None:
    """UTCDateTime's one-step bind on SQLite writes the text SQLAlchemy's DATETIME writes of
    the naive UTC value, to the microsecond, whatever the zone and the year."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.types import DateTime

    from tutor.store.models import UTCDateTime

    dialect = sqlite.dialect()
    fast = UTCDateTime().bind_processor(dialect)
    chain = DateTime().dialect_impl(dialect).bind_processor(dialect)
    assert fast is not None and chain is not None
    naive = UTCDateTime().process_bind_param(moment, dialect)
    assert fast(moment) == chain(naive)
    assert fast(None) is None
    with pytest.raises(ValueError, match="timezone-aware"):
        fast(moment.replace(tzinfo=None))
