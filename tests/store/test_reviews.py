"""Saving reviews (one transaction), progress, notes, and the counts the domain reads."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tutor.store.errors import StoreError
from tutor.store.models import AttemptRow, MemoryRow, NoteRow, ProgressRow, ReviewRow
from tutor.store.queries import (
    MemoryState,
    add_attempt,
    add_note,
    attempts_for_review,
    clear_progress,
    count_reviews,
    last_note,
    learner_session,
    load_progress,
    memory_states,
    notes_for,
    pending_attempts,
    review_days,
    reviews_for,
    save_progress,
    save_review,
    stats_counts,
    sync_cards,
)
from tutor.study.learner import default_learner

from .conftest import DAY0, T0, add_cards, attempt_of, memory_of, review_of, snapshot


def progress_of(card_id: str, seconds: float = 30.0) -> ProgressRow:
    return ProgressRow(
        learner=default_learner(),
        card_id=card_id,
        study_day=DAY0,
        started_at=T0,
        updated_at=T0 + timedelta(seconds=seconds),
        active_seconds=seconds,
        hints_shown=0,
        revealed=False,
        state_json=json.dumps({"seconds": seconds}),
    )


def test_save_review_writes_review_memory_attempts_and_clears_progress(
    engine: Engine, session: Session
) -> None:
    add_cards(session, "c1")
    save_progress(session=session, progress=progress_of("c1"))
    early = add_attempt(session=session, attempt=attempt_of("c1", 1, "incorrect"))
    assert early.id is not None and early.review_id is None
    assert [a.id for a in pending_attempts(session=session, card_id="c1")] == [early.id]

    review = review_of("c1")
    later = attempt_of("c1", 2)
    save_review(session=session, review=review, memory=memory_of("c1"), attempts=[early, later])
    assert review.id is not None
    with learner_session(engine, default_learner()) as fresh:
        assert [r.final_answer for r in reviews_for(session=fresh, card_id="c1")] == ["answer 0"]
        attempts = attempts_for_review(session=fresh, review_id=review.id)
        assert [(a.answer, a.verdict) for a in attempts] == [
            ("x^1", "incorrect"),
            ("x^2", "correct"),
        ]
        assert pending_attempts(session=fresh, card_id="c1") == []
        assert load_progress(session=fresh) is None
        memory = memory_states(session=fresh)["c1"]
        assert (memory.stability, memory.due) == (3.5, T0 + timedelta(days=3))


def test_save_review_upserts_the_memory_state(engine: Engine, session: Session) -> None:
    add_cards(session, "c1")
    save_review(session=session, review=review_of("c1", 0), memory=memory_of("c1", 0), attempts=[])
    save_review(session=session, review=review_of("c1", 5), memory=memory_of("c1", 5), attempts=[])
    with learner_session(engine, default_learner()) as fresh:
        rows = list(fresh.exec(select(MemoryRow)))
        assert [(m.card_id, m.stability, m.last_review) for m in rows] == [
            ("c1", 8.5, T0 + timedelta(days=5))
        ]
        assert [r.final_answer for r in reviews_for(session=fresh, card_id="c1")] == [
            "answer 0",
            "answer 5",
        ]


@pytest.mark.parametrize("existing_memory", [False, True])
def test_a_failing_memory_upsert_leaves_nothing_of_the_review(
    engine: Engine, session: Session, existing_memory: bool
) -> None:
    add_cards(session, "c1")
    if existing_memory:
        save_review(session=session, review=review_of("c1"), memory=memory_of("c1"), attempts=[])
    save_progress(session=session, progress=progress_of("c1", 42.0))
    pending = add_attempt(session=session, attempt=attempt_of("c1", 1))
    with engine.begin() as conn:
        for event in ("INSERT", "UPDATE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER fail_{event} BEFORE {event} ON memory "
                "BEGIN SELECT RAISE(ABORT, 'memory upsert failed'); END"
            )
    reviews_before = 1 if existing_memory else 0

    with pytest.raises(Exception, match="memory upsert failed"):
        save_review(
            session=session,
            review=review_of("c1", 7),
            memory=memory_of("c1", 7),
            attempts=[pending, attempt_of("c1", 2)],
        )

    with learner_session(engine, default_learner()) as fresh:
        assert count_reviews(session=fresh) == reviews_before
        assert all(r.final_answer == "answer 0" for r in fresh.exec(select(ReviewRow)))
        attempts = list(fresh.exec(select(AttemptRow)))
        assert [(a.id, a.review_id) for a in attempts] == [(pending.id, None)]
        progress = load_progress(session=fresh)
        assert progress is not None and progress.active_seconds == 42.0
        memories = list(fresh.exec(select(MemoryRow)))
        assert [m.stability for m in memories] == ([3.5] if existing_memory else [])
    # the session is usable again after the rollback
    assert count_reviews(session=session) == reviews_before


def test_mismatched_rows_are_refused_before_writing(session: Session) -> None:
    add_cards(session, "c1", "c2")
    with pytest.raises(ValueError, match="memory of c2 saved with a review of c1"):
        save_review(session=session, review=review_of("c1"), memory=memory_of("c2"), attempts=[])
    with pytest.raises(ValueError, match="attempts of c2 saved with a review of c1"):
        save_review(
            session=session,
            review=review_of("c1"),
            memory=memory_of("c1"),
            attempts=[attempt_of("c2")],
        )
    assert count_reviews(session=session) == 0


def test_progress_save_load_replace_clear(engine: Engine, session: Session) -> None:
    add_cards(session, "c1", "c2")
    assert load_progress(session=session) is None
    save_progress(session=session, progress=progress_of("c1", 10.0))
    save_progress(session=session, progress=progress_of("c2", 75.5))
    with learner_session(engine, default_learner()) as fresh:
        loaded = load_progress(session=fresh)
        assert loaded is not None
        assert (loaded.card_id, loaded.active_seconds, loaded.state_json) == (
            "c2",
            75.5,
            '{"seconds": 75.5}',
        )
        assert loaded.updated_at == T0 + timedelta(seconds=75.5)
        assert len(list(fresh.exec(select(ProgressRow)))) == 1
    clear_progress(session=session)
    assert load_progress(session=session) is None


def test_notes_newest_first(session: Session) -> None:
    add_cards(session, "c1", "c2")
    assert last_note(session=session, card_id="c1") is None
    add_note(session=session, card_id="c1", text="first", written_at=T0)
    add_note(session=session, card_id="c1", text="third", written_at=T0 + timedelta(days=2))
    add_note(session=session, card_id="c1", text="second", written_at=T0 + timedelta(days=1))
    add_note(session=session, card_id="c2", text="other", written_at=T0 + timedelta(days=9))
    assert [n.text for n in notes_for(session=session, card_id="c1")] == [
        "third",
        "second",
        "first",
    ]
    latest = last_note(session=session, card_id="c1")
    assert isinstance(latest, NoteRow) and latest.text == "third"
    assert latest.written_at == T0 + timedelta(days=2)


def test_review_days_and_counts(session: Session) -> None:
    add_cards(session, "c1", "c2")
    d1, d2, d3 = DAY0, DAY0 + timedelta(days=1), DAY0 + timedelta(days=3)
    for n, (card_id, day, success) in enumerate(
        [("c1", d1, True), ("c2", d1, False), ("c1", d2, False), ("c2", d3, True)]
    ):
        save_review(
            session=session,
            review=review_of(card_id, n, success=success, day=day),
            memory=memory_of(card_id, n),
            attempts=[],
        )
    assert review_days(session=session) == [(d1, True), (d2, False), (d3, True)]
    assert count_reviews(session=session) == 4
    assert count_reviews(session=session, since_day=d2) == 2
    assert count_reviews(session=session, since_day=d3 + timedelta(days=1)) == 0
    assert [r.success for r in reviews_for(session=session, card_id="c1")] == [True, False]


def test_stats_counts(session: Session) -> None:
    today = date(2026, 3, 10)
    end_of_today = datetime(2026, 3, 11, 4, 0, tzinfo=UTC)
    empty = stats_counts(session=session, today=today, end_of_today=end_of_today)
    assert empty == {
        "cards": {"total": 0, "new": 0, "review": 0, "due_today": 0, "retired": 0},
        "proofs": {"total": 0, "rebuilt": 0, "due_today": 0},
        "reviews": {"total": 0, "today": 0},
        "retention": None,
        "next_due": None,
    }
    sync_cards(session=session, cards=[snapshot(c, n) for n, c in enumerate("abcdef")], now=T0)
    plan = [  # card, day, success, due after this review
        ("a", today - timedelta(days=5), True, end_of_today - timedelta(hours=1)),  # due today
        ("a", today, False, end_of_today + timedelta(days=1)),
        ("b", today - timedelta(days=2), False, end_of_today),  # due exactly at the end: today
        ("b", today - timedelta(days=1), True, end_of_today + timedelta(seconds=1)),
        ("b", today, True, end_of_today + timedelta(days=2)),
        ("c", today, True, end_of_today + timedelta(hours=5)),
        ("f", today - timedelta(days=3), True, end_of_today - timedelta(days=9)),  # retired below
    ]
    due_by_card: dict[str, datetime] = {}
    for n, (card_id, day, success, due) in enumerate(plan):
        memory = memory_of(card_id, n)
        memory.due = due
        due_by_card[card_id] = due
        save_review(
            session=session,
            review=review_of(card_id, n, success=success, day=day),
            memory=memory,
            attempts=[],
        )
    sync_cards(session=session, cards=[snapshot(c, n) for n, c in enumerate("abcde")], now=T0)

    stats = stats_counts(session=session, today=today, end_of_today=end_of_today)
    # active: a b c d e; reviewed: a b c; due by the end of today: none of a, b, c after their
    # latest reviews (a: +1 day, b: +2 days, c: +5 h), and the retired f does not count
    assert stats["cards"] == {"total": 5, "new": 2, "review": 3, "due_today": 0, "retired": 1}
    assert stats["reviews"] == {"total": 7, "today": 3}
    # reviews of cards seen before: a's second (fail), b's second and third (success, success)
    assert stats["retention"] == pytest.approx(2 / 3)
    assert stats["next_due"] == due_by_card["c"]
    assert stats["next_due"] is not None and stats["next_due"].tzinfo is UTC

    later = stats_counts(
        session=session, today=today, end_of_today=end_of_today + timedelta(days=1)
    )
    assert later["cards"]["due_today"] == 2  # a and c


def test_stats_count_whole_proofs_apart_from_the_cards(session: Session) -> None:
    """Whole-proof cards (`proof:` ids) are counted under `proofs`, not `cards`; a proof is
    rebuilt whole once its whole-proof card has been reconstructed; the next review may be
    one."""
    today = date(2026, 3, 10)
    end_of_today = datetime(2026, 3, 11, 4, 0, tzinfo=UTC)
    ids = ["s-1", "s-2", "proof:s", "t-1", "t-2", "proof:t"]
    sync_cards(session=session, cards=[snapshot(c, n) for n, c in enumerate(ids)], now=T0)
    for n, (card_id, success, due) in enumerate(
        [
            ("s-1", True, end_of_today + timedelta(days=3)),
            ("proof:s", True, end_of_today - timedelta(hours=2)),  # rebuilt, due today
            ("proof:t", False, end_of_today + timedelta(days=1)),  # failed: not rebuilt
        ]
    ):
        memory = memory_of(card_id, n)
        memory.due, memory.reconstructed = due, success
        review = review_of(card_id, n, success=success, day=today)
        save_review(session=session, review=review, memory=memory, attempts=[])
    stats = stats_counts(session=session, today=today, end_of_today=end_of_today)
    assert stats["cards"] == {"total": 4, "new": 3, "review": 1, "due_today": 0, "retired": 0}
    assert stats["proofs"] == {"total": 2, "rebuilt": 1, "due_today": 1}
    assert stats["reviews"] == {"total": 3, "today": 3}
    assert stats["next_due"] == end_of_today - timedelta(hours=2)  # the whole proof of s


def test_a_full_disk_is_a_store_error_and_the_review_is_not_half_written(
    engine: Engine, session: Session, db_path: object
) -> None:
    add_cards(session, "c1")
    # SQLite reports SQLITE_FULL when the database may not grow: the same error as a full disk
    pages = session.exec(text("PRAGMA page_count")).one()[0]  # type: ignore[call-overload]
    session.exec(text(f"PRAGMA max_page_count = {pages}"))  # type: ignore[call-overload]
    review = review_of("c1")
    review.final_answer = "x" * 200_000
    with pytest.raises(StoreError, match="the disk is full") as raised:
        save_review(session=session, review=review, memory=memory_of("c1"), attempts=[])
    message = str(raised.value)
    assert message.startswith(f"{db_path}: ") and "\n" not in message
    with learner_session(engine, default_learner()) as fresh:
        assert count_reviews(session=fresh) == 0
        assert memory_states(session=fresh) == {}


def test_memory_states_are_plain_values_of_active_cards(session: Session) -> None:
    add_cards(session, "c1", "c2", "c3")
    for card_id in ("c1", "c3"):
        save_review(
            session=session, review=review_of(card_id), memory=memory_of(card_id), attempts=[]
        )
    states = memory_states(session=session)
    assert set(states) == {"c1", "c3"}  # c2 is new
    state = states["c1"]
    assert isinstance(state, MemoryState)
    assert (state.state, state.step, state.stability, state.difficulty) == (2, None, 3.5, 5.25)
    assert state.due == T0 + timedelta(days=3) and state.due.tzinfo is UTC
    assert state.last_review == T0 and state.last_review.tzinfo is UTC
    assert state.to_row(default_learner()).model_dump() == memory_of("c1").model_dump()


def test_queue_data_reads_only_the_candidates(session: Session) -> None:
    from dataclasses import replace

    from tutor.store.queries import queue_data

    cards = [
        snapshot("a", 0),
        replace(snapshot("b", 1), requires=("a",)),
        replace(snapshot("c", 2), requires=("a", "b", "typo")),
        snapshot("d", 3),
    ]
    sync_cards(session=session, cards=cards, now=T0)
    due_soon = memory_of("a")  # due three days after T0
    due_soon.reconstructed = True
    save_review(session=session, review=review_of("a"), memory=due_soon, attempts=[])
    later = memory_of("d", 30)
    save_review(session=session, review=review_of("d", day=DAY0), memory=later, attempts=[])
    end = T0 + timedelta(days=4)
    data = queue_data(session=session, today=DAY0, end_of_today=end)
    assert [s.card_id for s in data.due] == ["a"]  # d is due in a month
    assert [(r.card_id, r.requires) for r in data.new] == [("b", ("a",)), ("c", ("a", "b"))]
    assert data.reconstructed == {"a"}
    assert (data.unfinished, data.done_today, data.repeats_today) == (None, 2, 0)
    # the order new cards follow, stored by the sync: the prerequisite graph's
    assert data.order == ("a", "b", "c", "d")
