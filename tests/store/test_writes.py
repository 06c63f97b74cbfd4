"""The writes of an answer (`tutor.store.writes`) leave the rows the ORM leaves.

Generated sittings (attempts with the unfinished card's state, saved and cleared progress,
reviews with their memory, new and pending attempts, by two learners, with rows that name
another learner) are written twice: through the store's queries, and through a plain model
of what they do made of the ORM's unit of work (`through_the_orm`), each into a database of its
own. Then every row of the tables they write is read back as the database keeps it (SQLite's
stored text, not values decoded by a type) and compared, and so is what the queries gave back
(review ids, the memory a review replaced). On SQLite the writes run on the driver, and
through SQLAlchemy when a listener watches the statements; on PostgreSQL (when
TUTOR_TEST_POSTGRES_URL is set) through SQLAlchemy.

The model was checked against the Core statements the queries ran before `tutor.store.writes`:
the same rows."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, col, select

from tutor.store.engine import open_store
from tutor.store.models import (
    AttemptRow,
    CardRow,
    MemoryRow,
    ProgressRow,
    ReviewRow,
    StudyDayRow,
)
from tutor.store.queries import (
    clear_progress,
    learner_session,
    load_progress,
    record_attempt,
    record_attempt_values,
    save_progress,
    save_progress_values,
    save_review,
    save_review_values,
    writing,
)

CARDS = ("c1", "c2", "c3")
LEARNERS = ("ada", "bob")
T0 = datetime(2026, 5, 10, 9, 30, tzinfo=UTC)
TABLES = {  # the tables an answer writes, each with the columns that order its rows
    "attempt": "id",
    "review": "id",
    "memory": "learner, card_id",
    "progress": "learner",
    "study_day": "learner, day",
}

zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
)
instants = st.builds(
    lambda seconds, micro, zone: (T0 + timedelta(seconds=seconds, microseconds=micro)).astimezone(
        zone
    ),
    st.integers(-3 * 86_400, 3 * 86_400),
    st.sampled_from([0, 1, 500_000, 999_999]) | st.integers(0, 999_999),  # .000000 included
    zones,
)
days = st.integers(-2, 2).map(lambda n: T0.date() + timedelta(days=n))
words = st.text(  # no NUL (PostgreSQL refuses it), no lone surrogate (UTF-8 has none)
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=6
)
seconds = st.floats(0, 10_000, allow_nan=False) | st.sampled_from([0.0, 1.5, 1e-7])
claimed = st.sampled_from([*LEARNERS, "mallory"])  # what a row says; the session decides


def attempts(card_id: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "learner": claimed,
            "card_id": st.just(card_id),
            "at": instants,
            "active_seconds": seconds,
            "answer": words,
            "verdict": st.sampled_from(["correct", "incorrect", "self-assessed"]),
            "feedback": words,
            "read_as": words,
            "step": st.none() | words,
        }
    )


def progress_states(card_id: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "learner": claimed,
            "card_id": st.just(card_id),
            "study_day": days,
            "started_at": instants,
            "updated_at": instants,
            "active_seconds": seconds,
            "hints_shown": st.integers(0, 3),
            "revealed": st.booleans(),
            "state_json": st.sampled_from(["{}", '{"draft": "é \\"x\\""}']),
        }
    )


def reviews(card_id: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "learner": claimed,
            "card_id": st.just(card_id),
            "study_day": days,
            "started_at": instants,
            "ended_at": instants,
            "active_seconds": seconds,
            "attempts": st.integers(0, 4),
            "hints_used": st.integers(0, 3),
            "revealed": st.booleans(),
            "verdicts": st.sampled_from(["[]", '["incorrect", "correct"]']),
            "rating": st.integers(1, 4),
            "success": st.booleans(),
            "final_answer": words,
            "ideas_recalled": st.none() | st.integers(0, 3),
            "ideas_total": st.none() | st.integers(0, 3),
        }
    )


def memories(card_id: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "learner": claimed,
            "card_id": st.just(card_id),
            "state": st.integers(0, 3),
            "step": st.none() | st.integers(0, 2),
            "stability": st.none() | st.floats(0.01, 36_500, allow_nan=False),
            "difficulty": st.none() | st.floats(1, 10, allow_nan=False),
            "due": instants,
            "last_review": st.none() | instants,
            "reconstructed": st.booleans(),
            "run": st.integers(0, 5),
            "last_day": st.none() | days,
        }
    )


@dataclass(frozen=True)
class Step:
    """One write of a sitting, by `learner`: `kind` is attempt, progress, clear or review."""

    learner: str
    kind: str
    card_id: str
    rows: dict[str, Any] = field(default_factory=dict)
    pending: bool = False


@st.composite
def sittings(draw: st.DrawFn) -> list[Step]:
    """One card's sitting by one learner: answers and saved states (a clear now and then, as
    a card put aside), then mostly its review, with the sitting's pending attempts or not."""
    learner = draw(st.sampled_from(LEARNERS))
    card_id = draw(st.sampled_from(CARDS))
    before = []
    for kind in draw(st.lists(st.sampled_from(["attempt", "attempt", "progress", "clear"]))):
        rows = {"progress": draw(progress_states(card_id))} if kind != "clear" else {}
        if kind == "attempt":
            rows["attempt"] = draw(attempts(card_id))
        before.append(Step(learner, kind, card_id, rows))
    if draw(st.integers(0, 3)) == 0:
        return before  # left unfinished
    rows = {
        "review": draw(reviews(card_id)),
        "memory": draw(memories(card_id)),
        "attempts": draw(st.lists(attempts(card_id), max_size=2)),
    }
    pending = draw(st.integers(0, 3)) > 0  # as the desk saves a review
    return [*before, Step(learner, "review", card_id, rows, pending)]


Result = tuple[Any, ...]


def through_queries(session: Session, step: Step) -> Result:
    """`step` written by the store's queries: what they gave back."""
    rows = step.rows
    if step.kind == "attempt":
        record_attempt(
            session=session,
            attempt=AttemptRow(**rows["attempt"]),
            progress=ProgressRow(**rows["progress"]),
        )
        return ()
    if step.kind == "progress":
        save_progress(session=session, progress=ProgressRow(**rows["progress"]))
        return ()
    if step.kind == "clear":
        clear_progress(session=session)
        return ()
    review = ReviewRow(**rows["review"])
    new = [AttemptRow(**attempt) for attempt in rows["attempts"]]
    saved = save_review(
        session=session,
        review=review,
        memory=MemoryRow(**rows["memory"]),
        attempts=new,
        pending=step.pending,
    )
    assert review.id == saved.review_id
    return saved.review_id, saved.prior_memory, [a.id for a in new]


def through_the_answer_path(session: Session, step: Step) -> Result:
    """`step` written as a sitting writes it (`tutor.today.ledger`): from the rows' values in a
    transaction of `writing`, the driver's own on SQLite; what the values functions do not take
    (a review with attempts of its own, or without the pending ones) by the queries."""
    rows, learner = step.rows, step.learner
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    if step.kind == "attempt":
        with writing(engine) as connection:
            record_attempt_values(
                connection,
                learner=learner,
                attempt=rows["attempt"] | {"learner": "mallory"},  # the learner given wins
                progress=rows["progress"],
            )
        return ()
    if step.kind == "progress":
        with writing(engine) as connection:
            save_progress_values(connection, learner=learner, progress=rows["progress"])
        return ()
    if step.kind == "review" and step.pending and not rows["attempts"]:
        # the memory before it, as the sitting holds it (read when the card was shown)
        held = session.get(MemoryRow, (learner, step.card_id))
        prior = None if held is None else held.model_dump(exclude={"learner"})
        session.rollback()
        with writing(engine) as connection:
            saved = save_review_values(
                connection,
                learner=learner,
                review=rows["review"],
                memory=rows["memory"],
                prior=prior,
            )
        return saved.review_id, saved.prior_memory, []
    return through_queries(session, step)


def through_the_orm(session: Session, step: Step) -> Result:
    """`step` written by the ORM's unit of work, as the queries' docstrings say it is."""
    learner = step.learner
    rows = step.rows
    mine = {"learner": learner}
    if step.kind in ("attempt", "progress"):
        if step.kind == "attempt":
            session.add(AttemptRow(**(rows["attempt"] | mine)))
        session.merge(ProgressRow(**(rows["progress"] | mine)))
    elif step.kind == "clear":
        unfinished = session.get(ProgressRow, learner)
        if unfinished is not None:
            session.delete(unfinished)
    else:
        review = ReviewRow(**(rows["review"] | mine))
        prior = session.get(MemoryRow, (learner, step.card_id))
        prior_memory = (
            None
            if prior is None
            else {name: getattr(prior, name) for name in MemoryRow.model_fields}
        )
        seen = session.exec(
            select(ReviewRow).where(ReviewRow.learner == learner, ReviewRow.card_id == step.card_id)
        ).first()
        day = session.get(StudyDayRow, (learner, review.study_day))
        if day is None:
            day = StudyDayRow(learner=learner, day=review.study_day)
            session.add(day)
        day.reviews += 1
        day.successes += review.success
        day.repeat_reviews += seen is not None
        day.repeat_successes += seen is not None and review.success
        session.add(review)
        session.flush()
        session.merge(MemoryRow(**(rows["memory"] | mine)))
        new = [AttemptRow(**(attempt | mine), review_id=review.id) for attempt in rows["attempts"]]
        session.add_all(new)
        if step.pending:
            waiting = session.exec(
                select(AttemptRow).where(
                    AttemptRow.learner == learner,
                    AttemptRow.card_id == step.card_id,
                    col(AttemptRow.review_id).is_(None),
                )
            )
            for attempt in waiting:
                attempt.review_id = review.id
        unfinished = session.get(ProgressRow, learner)
        if unfinished is not None:
            session.delete(unfinished)
        session.flush()
        result = (review.id, prior_memory, [a.id for a in new])
        session.commit()
        return result
    session.commit()
    return ()


def stored(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an answer writes, as the database keeps them: read by the
    driver, no column type decoding them."""
    with engine.connect() as connection:
        return {
            table: [
                tuple(row)
                for row in connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY {key}")
            ]
            for table, key in TABLES.items()
        }


def empty(engine: Engine) -> None:
    """The tables an answer writes emptied, their ids starting again at 1."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY")
        else:
            for table in TABLES:
                connection.exec_driver_sql(f"DELETE FROM {table}")


def with_cards(engine: Engine) -> Engine:
    with Session(engine) as session:
        session.add_all(
            CardRow(id=c, deck_id="d", path="d.md", position=n, content_hash="h", added_at=T0)
            for n, c in enumerate(CARDS)
        )
        session.commit()
    return engine


@dataclass
class Pair:
    """Two databases alike: one the queries write, one the ORM writes."""

    ours: Engine
    orm: Engine


def sqlite_pair(folder: Path) -> Iterator[Pair]:
    pair = Pair(
        with_cards(open_store(f"sqlite:///{folder / 'ours.db'}")),
        with_cards(open_store(f"sqlite:///{folder / 'orm.db'}")),
    )
    yield pair
    pair.ours.dispose()
    pair.orm.dispose()


def postgres_pair() -> Iterator[Pair]:
    server = os.environ.get("TUTOR_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("TUTOR_TEST_POSTGRES_URL is not set")
    names = [f"tutor_writes_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    base = server.rsplit("/", 1)[0]
    pair = Pair(*(with_cards(open_store(f"{base}/{name}")) for name in names))
    yield pair
    pair.ours.dispose()
    pair.orm.dispose()
    with admin.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def watching(*_args: object) -> None:
    """A listener to the statements sent: with one, the writes go through SQLAlchemy."""


@pytest.fixture(scope="module", params=["sqlite", "sqlite-watched", "postgresql"])
def pair(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pair]:
    """The databases of one way of writing: SQLite through its driver, SQLite through
    SQLAlchemy (a listener watches the statements), PostgreSQL."""
    if request.param == "postgresql":
        yield from postgres_pair()
        return
    folder = tmp_path_factory.mktemp(request.param)
    for pair in sqlite_pair(folder):
        if request.param == "sqlite-watched":
            event.listen(pair.ours, "before_cursor_execute", watching)
        yield pair


def replay(
    engine: Engine, steps: list[Step], write: Callable[[Session, Step], Result]
) -> list[Result]:
    """`steps` written into an empty database by `write`, each in a session of its own."""
    empty(engine)
    results = []
    for step in steps:
        with learner_session(engine, step.learner) as session:
            results.append(write(session, step))
    return results


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(planned=st.lists(sittings(), min_size=1, max_size=5))
def test_the_writes_leave_the_rows_the_orm_leaves(pair: Pair, planned: list[list[Step]]) -> None:
    steps = [step for sitting in planned for step in sitting]
    ours = replay(pair.ours, steps, through_queries)
    theirs = replay(pair.orm, steps, through_the_orm)
    assert ours == theirs
    assert stored(pair.ours) == stored(pair.orm)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(planned=st.lists(sittings(), min_size=1, max_size=5))
def test_a_sittings_writes_leave_the_rows_the_orm_leaves(
    pair: Pair, planned: list[list[Step]]
) -> None:
    steps = [step for sitting in planned for step in sitting]
    ours = replay(pair.ours, steps, through_the_answer_path)
    theirs = replay(pair.orm, steps, through_the_orm)
    assert ours == theirs
    assert stored(pair.ours) == stored(pair.orm)


def test_an_answer_runs_eight_statements(pair: Pair) -> None:
    """What an answer sends: the attempt with the progress, then the review's six writes."""
    empty(pair.ours)
    sent: list[str] = []

    def record(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        sent.append(" ".join(sql.split()[:3]))

    event.listen(pair.ours, "before_cursor_execute", record)
    try:
        with learner_session(pair.ours, "ada") as session:
            record_attempt(
                session=session,
                attempt=AttemptRow(
                    learner="ada",
                    card_id="c1",
                    at=T0,
                    active_seconds=1.0,
                    answer="x",
                    verdict="correct",
                ),
                progress=ProgressRow(
                    learner="ada",
                    card_id="c1",
                    study_day=T0.date(),
                    started_at=T0,
                    updated_at=T0,
                ),
            )
        with learner_session(pair.ours, "ada") as session:
            save_review(
                session=session,
                review=ReviewRow(
                    learner="ada",
                    card_id="c1",
                    study_day=T0.date(),
                    started_at=T0,
                    ended_at=T0,
                    active_seconds=1.0,
                    rating=3,
                    success=True,
                ),
                memory=MemoryRow(learner="ada", card_id="c1", state=2, due=T0),
                pending=True,
            )
    finally:
        event.remove(pair.ours, "before_cursor_execute", record)
    assert [s for s in sent if not s.startswith(("BEGIN", "SELECT pg_"))] == [
        "INSERT INTO attempt",
        "INSERT INTO progress",
        "SELECT learner, card_id,",
        "INSERT INTO study_day",
        "INSERT INTO review",
        "INSERT INTO memory",
        "UPDATE attempt SET",
        "DELETE FROM progress",
    ]


def test_a_naive_instant_and_a_broken_key_fail_as_sqlalchemy_says(pair: Pair) -> None:
    """A value its type refuses, and a row the schema refuses, raise what they raised when
    SQLAlchemy ran every write; nothing is written."""
    empty(pair.ours)
    naive = datetime(2026, 5, 10, 9, 30)
    progress = {"card_id": "c1", "study_day": T0.date(), "started_at": T0, "updated_at": T0}
    with learner_session(pair.ours, "ada") as session:
        with pytest.raises(StatementError, match="timezone-aware"):
            record_attempt(
                session=session,
                attempt=AttemptRow(
                    card_id="c1", at=naive, active_seconds=1.0, answer="x", verdict="correct"
                ),
                progress=ProgressRow(**progress),
            )
        with pytest.raises(IntegrityError):
            save_progress(session=session, progress=ProgressRow(**(progress | {"card_id": "gone"})))
        assert load_progress(session=session) is None
    # a sitting's review whose memory fails after the review and its day were written: the
    # whole transaction is taken back (on SQLite, the driver's own)
    review = {
        "card_id": "c1",
        "study_day": T0.date(),
        "started_at": T0,
        "ended_at": T0,
        "active_seconds": 1.0,
        "attempts": 1,
        "hints_used": 0,
        "revealed": False,
        "verdicts": "[]",
        "rating": 3,
        "success": True,
        "final_answer": "x",
        "ideas_recalled": None,
        "ideas_total": None,
    }
    memory = {
        "card_id": "c1",
        "state": 2,
        "step": None,
        "stability": 1.0,
        "difficulty": 5.0,
        "due": naive,
        "last_review": T0,
        "reconstructed": True,
        "run": 1,
        "last_day": T0.date(),
    }
    with (
        pytest.raises(StatementError, match="timezone-aware"),
        writing(pair.ours) as connection,
    ):
        save_review_values(connection, learner="ada", review=review, memory=memory, prior=None)
    assert stored(pair.ours) == {table: [] for table in TABLES}
    with writing(pair.ours) as connection:  # the connection is sound again
        save_review_values(
            connection, learner="ada", review=review, memory=memory | {"due": T0}, prior=None
        )
    assert [len(rows) for rows in stored(pair.ours).values()] == [0, 1, 1, 0, 1]
