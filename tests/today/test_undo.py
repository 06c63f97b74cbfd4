"""Undo takes back the last rating or reveal until the next card begins, and the database is
exactly as it was before the rating: memory, review, the day's totals, the streak."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tutor.store.engine import parse_url, sqlite_path
from tutor.study.clock import ManualClock
from tutor.study.schedule import Rating
from tutor.study.session import NotAllowed, Phase

from .conftest import DeskFactory

TABLES = ("memory", "review", "study_day", "attempt", "note")


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as db:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def _db(desk: object) -> Path:
    return sqlite_path(parse_url(desk.settings.db_url))  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", ["correct", "reveal", "easy"])
def test_undo_after_the_review_was_saved_restores_every_table(
    open_desk: DeskFactory, clock: ManualClock, how: str
) -> None:
    # a first review yesterday, so that today's is a repeat review with a memory row before it
    desk = open_desk()
    first = desk.next_sitting()
    assert first is not None
    first.submit("2x")
    first.finish()
    clock.advance(86_400 * 3)
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.card.id == "double" and sitting.is_review
    sitting.add_note("why is it 2x?")
    sitting.submit("3x")
    streak_before = desk.streak()
    before = _tables(_db(desk))
    clock.advance(200)
    if how == "reveal":
        sitting.reveal()
    else:
        sitting.submit("x*2")
        if how == "easy":
            sitting.upgrade_to_easy()
    finished = sitting.finish()
    assert _tables(_db(desk)) != before
    assert finished.streak != streak_before or how == "reveal"
    assert sitting.can_undo
    sitting.undo()
    after = _tables(_db(desk))
    for table in ("memory", "review", "study_day", "note"):
        assert after[table] == before[table], table
    # the attempts before are exactly as they were; the one that finished the card stays in the
    # log as a pending attempt (it happened), attached to no review
    assert all(row in after["attempt"] for row in before["attempt"])
    added = [row for row in after["attempt"] if row not in before["attempt"]]
    assert len(added) == (0 if how == "reveal" else 1)
    assert all(row[2] is None for row in added)
    assert desk.streak() == streak_before
    assert sitting.phase is Phase.THINKING and not sitting.can_undo
    with pytest.raises(NotAllowed):
        sitting.undo()
    # and the card can be finished again, from the state it was in
    sitting.submit("2*x")
    assert sitting.finish().outcome.rating is Rating.GOOD  # one wrong attempt, then right


def test_undo_of_a_first_review_leaves_no_memory_and_no_study_day(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    before = _tables(_db(desk))
    sitting.submit("2x")
    sitting.finish()
    sitting.undo()
    after = _tables(_db(desk))
    assert after["memory"] == before["memory"] == []
    assert after["review"] == [] and after["study_day"] == []
    assert desk.streak().current == 0
    reopened = open_desk().next_sitting()
    assert reopened is not None and reopened.card.id == "double" and reopened.resumed


def test_undo_before_the_review_is_saved_reopens_the_card(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    clock.advance(600)
    sitting.reveal()
    assert sitting.phase is Phase.DONE
    sitting.undo()  # the reveal, taken back before the card was rated
    assert sitting.phase is Phase.THINKING and not sitting.session.snapshot().revealed
    sitting.submit("2x")
    assert sitting.finish().outcome.rating is Rating.GOOD
