"""A write that fails (a full disk, a database that refuses writes) leaves the sitting as the
database holds it, and the learner is told in one line what was kept and what was lost: the
front end never goes on with an attempt, a hint or a step the database does not have.

The failures are SQLite's own: `max_page_count` at the file's size is what SQLite reports when
the disk is full (SQLITE_FULL), and `query_only` refuses every write."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from tutor.plain import PlainSession
from tutor.store.engine import parse_url, sqlite_path
from tutor.study.clock import ManualClock
from tutor.study.session import Phase
from tutor.today import MAX_ANSWER, Desk, NotSaved

from .conftest import DeskFactory


def _db(desk: Desk) -> Path:
    path = sqlite_path(parse_url(desk.settings.db_url))
    assert path is not None
    return path


class Writes:
    """Turns the database of a desk read-only, or full, for the connections made after."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._listener: Callable[[Any, Any], None] | None = None

    def _set(self, pragma: str | None) -> None:
        engine = self.desk.engine
        if self._listener is not None:
            event.remove(engine, "connect", self._listener)
            self._listener = None
        if pragma is not None:

            def on_connect(connection: Any, _record: Any) -> None:
                connection.execute(pragma)

            self._listener = on_connect
            event.listen(engine, "connect", on_connect)
        engine.dispose()  # the next session connects again, with the pragma

    def refuse(self) -> None:
        self._set("PRAGMA query_only = ON")

    def fill_disk(self) -> None:
        """No page can be added: what SQLite says when the disk is full."""
        self.desk.engine.dispose()
        with sqlite3.connect(_db(self.desk)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with sqlite3.connect(_db(self.desk)) as db:
            db.execute("VACUUM")  # no free page left inside the file either
            pages = db.execute("PRAGMA page_count").fetchone()[0]
        self._set(f"PRAGMA max_page_count = {pages}")

    def allow(self) -> None:
        self._set(None)


@contextmanager
def refused(desk: Desk) -> Iterator[Writes]:
    writes = Writes(desk)
    writes.refuse()
    try:
        yield writes
    finally:
        writes.allow()


def _rows(desk: Desk, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(_db(desk)) as db:
        return db.execute(sql).fetchall()


def test_an_answer_the_full_disk_refused_is_not_counted_and_the_review_matches_the_rows(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.card.id == "double"
    sitting.submit("x^2")
    clock.advance(120)
    writes = Writes(desk)
    writes.fill_disk()
    long_right_answer = "2*x" + " " * (MAX_ANSWER - 3)  # needs new pages: the disk is full
    with pytest.raises(NotSaved) as failed:
        sitting.submit(long_right_answer)
    message = str(failed.value)
    assert "\n" not in message and message.startswith(f"{_db(desk)}: ")
    assert "the disk is full" in message
    assert "the database keeps 1 answer, 0 hints; lost: your last answer" in message
    # what the sitting holds is what the database holds: one answer, the card still open
    assert [a.answer for a in sitting.session.attempts] == ["x^2"]
    assert sitting.phase is Phase.THINKING and sitting.last_verdict is None
    assert sitting.session.active_seconds() >= 120  # the time spent is not turned back
    writes.allow()
    sitting.submit("2x")
    finished = sitting.finish()
    assert finished.outcome.attempts == 2
    assert _rows(desk, "SELECT answer FROM attempt ORDER BY id") == [("x^2",), ("2x",)]
    assert _rows(desk, "SELECT attempts FROM review") == [(2,)]


def test_a_hint_the_database_refused_is_not_taken(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    clock.advance(sitting.session.remaining())
    with refused(desk), pytest.raises(NotSaved) as failed:
        sitting.take_hint()
    assert "read-only" in str(failed.value)
    assert "lost: the hint just taken" in str(failed.value)
    assert sitting.session.hints_shown == 0
    assert sitting.take_hint() == sitting.card.hints[0].source  # the first hint, again


def test_a_failed_first_write_leaves_the_card_as_shown_with_the_time_spent(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    clock.advance(300)
    with refused(desk), pytest.raises(NotSaved) as failed:
        sitting.submit("x^2")
    assert "the database keeps 0 answers, 0 hints; lost: your last answer" in str(failed.value)
    assert sitting.session.attempts == [] and sitting.phase is Phase.THINKING
    assert sitting.session.active_seconds() >= 300
    assert _rows(desk, "SELECT count(*) FROM progress") == [(0,)]
    assert _rows(desk, "SELECT count(*) FROM attempt") == [(0,)]


def test_a_note_the_database_refused_is_dropped_and_said_so(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    sitting.submit("x^2")
    with refused(desk), pytest.raises(NotSaved) as failed:
        sitting.add_note("why two?")
    assert "the database keeps 1 answer, 0 hints; lost: your note" in str(failed.value)
    assert sitting.notes == []
    assert _rows(desk, "SELECT count(*) FROM note") == [(0,)]


def test_a_failed_undo_keeps_the_saved_review(open_desk: DeskFactory, clock: ManualClock) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    sitting.submit("2x")
    sitting.finish()
    with refused(desk), pytest.raises(NotSaved) as failed:
        sitting.undo()
    assert "nothing else was lost" in str(failed.value)
    assert sitting.phase is Phase.DONE and sitting.saved_review is not None
    assert _rows(desk, "SELECT count(*) FROM review") == [(1,)]
    sitting.undo()  # the disk has room again: the undo goes through
    assert sitting.phase is Phase.THINKING
    assert _rows(desk, "SELECT count(*) FROM review") == [(0,)]


def test_a_review_that_could_not_be_saved_can_be_saved_again(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    sitting.submit("2x")  # saved: the card is done
    with refused(desk), pytest.raises(NotSaved) as failed:
        sitting.finish()
    assert "the database keeps 1 answer, 0 hints; nothing else was lost" in str(failed.value)
    assert sitting.phase is Phase.DONE and sitting.saved_review is None
    assert _rows(desk, "SELECT count(*) FROM review") == [(0,)]
    finished = sitting.finish()
    assert finished.outcome.attempts == 1
    assert _rows(desk, "SELECT count(*) FROM review") == [(1,)]


def test_the_database_unreadable_too_keeps_the_card_as_before_the_action(
    open_desk: DeskFactory, clock: ManualClock, tmp_path: Path
) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    sitting.submit("x^2")
    moved = tmp_path / "elsewhere.db"
    desk.engine.dispose()
    _db(desk).rename(moved)
    _db(desk).mkdir()  # the path is a folder now: nothing can be read or written there
    try:
        with pytest.raises(NotSaved) as failed:
            sitting.submit("x^3")
    finally:
        _db(desk).rmdir()
        moved.rename(_db(desk))
    assert "the database cannot be read either: the card is as before (1 answer" in str(
        failed.value
    )
    assert [a.answer for a in sitting.session.attempts] == ["x^2"]


class Staged(io.StringIO):
    """Standard input whose reading of line `n` first runs `actions[n]` (from 0)."""

    def __init__(self, lines: list[str], actions: dict[int, Callable[[], None]]) -> None:
        super().__init__("".join(f"{line}\n" for line in lines))
        self.actions = actions
        self.read_lines = 0

    def readline(self, size: int | None = -1) -> str:
        action = self.actions.get(self.read_lines)
        if action is not None:
            action()
        self.read_lines += 1
        return super().readline(-1 if size is None else size)


def test_plain_mode_says_what_was_kept_and_goes_on_with_the_card(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    writes = Writes(desk)
    lines = ["x^2", "2*x", "2*x", "", "", ":quit"]
    # the second answer meets a database that refuses writes; the third a working one; the
    # line after "Rated Good" fails to save the review, and the one after tries again
    actions = {1: writes.refuse, 2: writes.allow, 3: writes.refuse, 4: writes.allow}
    out = io.StringIO()
    PlainSession(desk, Staged(lines, actions), out).run()
    text = out.getvalue()
    said = [line for line in text.splitlines() if line.startswith("not saved: ")]
    assert len(said) == 2, text
    assert said[0].endswith("the database keeps 1 answer, 0 hints; lost: your last answer")
    assert said[1].endswith("the database keeps 2 answers, 0 hints; nothing else was lost")
    assert "(press Enter to try again; :quit stops, and the card resumes next time)" in text
    assert "rated Good" in text
    assert _rows(desk, "SELECT answer FROM attempt ORDER BY id") == [("x^2",), ("2*x",)]
    assert _rows(desk, "SELECT attempts, rating FROM review") == [(2, 3)]


def test_a_failed_read_of_todays_card_is_the_stores_one_line_error(
    open_desk: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today's reads run on the session's own sqlite3 connection: a failure of the file there
    (an I/O error, a file damaged since it was opened) reaches the front end as the store's
    one-line error, as through SQLAlchemy, not as an internal error."""
    from tutor.store.errors import StoreError
    from tutor.store.reads import Reads

    desk = open_desk()

    def broken(self: Reads, *args: object) -> object:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Reads, "next_card", broken)  # all that showing it reads
    with pytest.raises(StoreError, match="disk I/O error") as raised:
        desk.next_sitting()
    assert "\n" not in str(raised.value)
