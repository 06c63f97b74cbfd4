"""kill -9 at any moment: no committed review lost, none half-written, the database sound.

A writer child saves reviews in a loop and prints each review's id once its commit returned;
it also prints a line before every SQL statement and every COMMIT it sends. The parent reads a
random number of lines and kills the child with SIGKILL at once, so the kills land all over the
write path (inside save_review, inside COMMIT), again and again; then it checks every review it
was told about, and every review in the database, against what the child wrote."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, col, select

from tutor.store.engine import open_store
from tutor.store.models import AttemptRow, MemoryRow, ReviewRow
from tutor.store.queries import count_reviews

ROUNDS = 30
CARDS = 10

WRITER = """
import json, sys
from datetime import UTC, date, datetime, timedelta
from sqlalchemy import event
from sqlmodel import Session
from tutor.store.engine import open_store
from tutor.store.models import AttemptRow, MemoryRow, ProgressRow, ReviewRow
from tutor.store.queries import (
    CardSnapshot, add_attempt, add_note, save_progress, save_review, sync_cards,
)

url, first, ncards = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
print("ready", flush=True)
engine = open_store(url)
event.listen(engine, "before_cursor_execute", lambda *args: print("sql", flush=True))
event.listen(engine, "commit", lambda conn: print("commit", flush=True))
with Session(engine) as session:
    cards = [CardSnapshot(f"c{i}", "d", "d.md", i, "h") for i in range(ncards)]
    sync_cards(session=session, cards=cards, now=t0)
    n = first
    while True:
        card = f"c{n % ncards}"
        at = t0 + timedelta(minutes=n)
        save_progress(session=session, progress=ProgressRow(
            card_id=card, study_day=date(2026, 3, 1), started_at=at, updated_at=at,
            active_seconds=float(n), state_json=json.dumps({"n": n})))
        first_try = add_attempt(session=session, attempt=AttemptRow(
            card_id=card, at=at, active_seconds=1.0, answer=f"try {n}.1", verdict="incorrect"))
        if n % 7 == 0:
            add_note(session=session, card_id=card, text=f"note {n}", written_at=at)
        review = ReviewRow(
            card_id=card, study_day=date(2026, 3, 1), started_at=at, ended_at=at,
            active_seconds=float(n), attempts=2, hints_used=0, revealed=False,
            verdicts='["incorrect", "correct"]', rating=3, success=True,
            final_answer=f"answer {n}")
        memory = MemoryRow(card_id=card, state=2, stability=float(n), difficulty=5.0,
                           due=at + timedelta(days=1), last_review=at)
        second_try = AttemptRow(
            card_id=card, at=at, active_seconds=2.0, answer=f"try {n}.2", verdict="correct")
        save_review(session=session, review=review, memory=memory,
                    attempts=[first_try, second_try])
        print(review.id, n, flush=True)
        n += 1
"""


def run_and_kill(url: str, first: int, lines: int) -> list[tuple[int, int]]:
    """Start a writer, read `lines` lines from it (0: kill it as it starts), SIGKILL it, and
    return every (review id, n) it reported, including those printed before it died."""
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, url, str(first), str(CARDS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "ready\n"
    seen = [child.stdout.readline() for _ in range(lines)]
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read()
    assert child.wait() == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    reported = [line for line in seen if line.endswith("\n")]
    reported += [line + "\n" for line in rest.split("\n")[:-1]]  # the last one may be cut
    pairs = [line.split() for line in reported if line[0].isdigit()]
    return [(int(a), int(b)) for a, b in pairs]


def test_sigkill_while_saving_reviews_loses_no_committed_review(tmp_path: Path) -> None:
    path = tmp_path / "tutor.db"
    url = f"sqlite:///{path}"
    rng = random.Random(20260301)
    reported: dict[int, int] = {}
    for round_ in range(ROUNDS):
        lines = 0 if round_ % 10 == 3 else rng.randint(1, 600)
        for review_id, n in run_and_kill(url, first=round_ * 100_000, lines=lines):
            assert review_id not in reported
            reported[review_id] = n
    assert len(reported) > ROUNDS  # the children did commit reviews before they died

    with sqlite3.connect(path) as raw:  # the file as the crash left it, WAL included
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    raw.close()

    engine = open_store(url)
    try:
        with Session(engine) as session:
            reviews = {r.id: r for r in session.exec(select(ReviewRow))}
            attempts: dict[int | None, list[str]] = {}
            for a in session.exec(select(AttemptRow).order_by(col(AttemptRow.id))):
                attempts.setdefault(a.review_id, []).append(a.answer)
            memories = {m.card_id: m for m in session.exec(select(MemoryRow))}
            assert count_reviews(session=session) == len(reviews)

        # every review the writer was told was committed is there, as written
        for review_id, n in reported.items():
            review = reviews.get(review_id)
            assert review is not None, f"committed review {review_id} (n={n}) lost"
            assert (review.final_answer, review.card_id) == (f"answer {n}", f"c{n % CARDS}")
        # and no review in the database is half-written: each has its two attempts
        for review_id, review in reviews.items():
            n = int(review.final_answer.split()[1])
            assert review.active_seconds == float(n)
            assert attempts.get(review_id) == [f"try {n}.1", f"try {n}.2"]
        # each card's memory is the one saved with its latest review
        latest: dict[str, int] = {}
        for review in reviews.values():
            n = int(review.final_answer.split()[1])
            latest[review.card_id] = max(latest.get(review.card_id, -1), n)
        assert {c: m.stability for c, m in memories.items()} == {
            c: float(n) for c, n in latest.items()
        }
        # attempts left unattached belong to reviews that never committed
        committed = {int(r.final_answer.split()[1]) for r in reviews.values()}
        for answer in attempts.get(None, []):
            assert answer.endswith(".1") and int(answer[4:-2]) not in committed
    finally:
        engine.dispose()


def test_sigkill_while_creating_the_database_leaves_one_that_opens(tmp_path: Path) -> None:
    for attempt in range(5):
        url = f"sqlite:///{tmp_path / f'tutor{attempt}.db'}"
        run_and_kill(url, first=0, lines=0)  # killed during start-up: imports, creation, sync
        engine = open_store(url)  # the file is either absent, empty, or complete
        try:
            with Session(engine) as session:
                assert count_reviews(session=session) == 0
        finally:
            engine.dispose()


def test_a_reader_beside_a_writer_sees_every_reported_review(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, url, "0", str(CARDS)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    try:
        assert child.stdout.readline() == "ready\n"
        reported = 0
        engine = None
        while reported < 40:
            line = child.stdout.readline()
            if not line[0].isdigit():
                continue
            reported += 1
            if engine is None:
                engine = open_store(url)  # opened while the writer writes
            with Session(engine) as session:  # reads never wait for the writer (WAL)
                assert count_reviews(session=session) >= reported
        assert engine is not None
        engine.dispose()
    finally:
        child.kill()
        child.wait()
