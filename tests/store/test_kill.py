"""kill -9 at any moment: no committed review lost, none half-written, the database sound.

A writer child saves reviews in a loop and prints each review's id once its commit returned;
it also prints a line before every SQL statement and every COMMIT it sends. The parent reads a
random number of lines and kills the child with SIGKILL at once, so the kills land all over the
write path (inside save_review, inside COMMIT), again and again; then it checks every review it
was told about, and every review in the database, against what the child wrote.

The writers are forked from a server process that has imported the store once: a fresh Python
spends a third of a second on its imports, three times a round's writing. Each writer is still
a process of its own, opening its own connection after the fork, killed by SIGKILL."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from tutor.store.engine import open_store
from tutor.store.models import AttemptRow, MemoryRow, ReviewRow
from tutor.store.queries import count_reviews, learner_session
from tutor.study.learner import default_learner

ROUNDS = 30
CARDS = 10

WRITER = """
import json, os, sys, traceback
from datetime import UTC, date, datetime, timedelta
from sqlalchemy import event
from tutor.store.engine import open_store
from tutor.store.models import AttemptRow, MemoryRow, ProgressRow, ReviewRow
from tutor.store.queries import (
    CardSnapshot, add_attempt, add_note, learner_session, save_progress, save_review, sync_cards,
)
from tutor.study.learner import default_learner


def write(url, first, ncards):
    t0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    print("ready", os.getpid(), flush=True)
    engine = open_store(url)
    event.listen(engine, "before_cursor_execute", lambda *args: print("sql", flush=True))
    event.listen(engine, "commit", lambda conn: print("commit", flush=True))
    with learner_session(engine, default_learner()) as session:
        cards = [CardSnapshot(f"c{i}", "d", "d.md", i, "h") for i in range(ncards)]
        sync_cards(session=session, cards=cards, now=t0)
        n = first
        while True:
            card = f"c{n % ncards}"
            at = t0 + timedelta(minutes=n)
            save_progress(session=session, progress=ProgressRow(
                learner=default_learner(),
                card_id=card, study_day=date(2026, 3, 1), started_at=at, updated_at=at,
                active_seconds=float(n), state_json=json.dumps({"n": n})))
            first_try = add_attempt(session=session, attempt=AttemptRow(
                learner=default_learner(),
                card_id=card, at=at, active_seconds=1.0, answer=f"try {n}.1",
                verdict="incorrect"))
            if n % 7 == 0:
                add_note(session=session, card_id=card, text=f"note {n}", written_at=at)
            review = ReviewRow(
                learner=default_learner(),
                card_id=card, study_day=date(2026, 3, 1), started_at=at, ended_at=at,
                active_seconds=float(n), attempts=2, hints_used=0, revealed=False,
                verdicts='["incorrect", "correct"]', rating=3, success=True,
                final_answer=f"answer {n}")
            memory = MemoryRow(
                learner=default_learner(), card_id=card, state=2, stability=float(n),
                difficulty=5.0, due=at + timedelta(days=1), last_review=at)
            second_try = AttemptRow(
                learner=default_learner(),
                card_id=card, at=at, active_seconds=2.0, answer=f"try {n}.2",
                verdict="correct")
            save_review(session=session, review=review, memory=memory,
                        attempts=[first_try, second_try])
            print(review.id, n, flush=True)
            n += 1


# The server: one JSON line [url, first, ncards] in, one writer forked, its output on this
# standard output; once the writer is dead (killed by the test), NUL, "exit", its wait status.
import alembic.command, alembic.config  # what open_store imports to create a database
print("server", flush=True)
for command in sys.stdin:
    url, first, ncards = json.loads(command)
    pid = os.fork()
    if pid == 0:
        try:
            write(url, first, ncards)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    print("\\0exit", status, flush=True)
os._exit(0)  # the test is done: nothing to clean up
"""


class Writers:
    """The server that forks writers (see WRITER), one writer at a time."""

    def __init__(self, stderr: Path) -> None:
        self.stderr = stderr
        self.errors = stderr.open("w")
        self.server = subprocess.Popen(
            [sys.executable, "-c", WRITER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
        )
        assert self.server.stdin is not None and self.server.stdout is not None
        self.stdin, self.stdout = self.server.stdin, self.server.stdout
        assert self.stdout.readline() == "server\n", self.stderr.read_text()
        self.pid = 0
        self.status: int | None = None  # the writer's wait status, once it is dead

    def start(self, url: str, first: int) -> None:
        """Fork a writer, and read its first line."""
        self.stdin.write(json.dumps([url, first, CARDS]) + "\n")
        self.stdin.flush()
        self.status = None
        ready = self.line()
        assert ready.startswith("ready "), ready + self.stderr.read_text()
        self.pid = int(ready.split()[1])

    def line(self) -> str:
        """The writer's next line; once it is dead, the rest of its last line, which may be
        cut short, then ''. The server prints its exit line only after the writer is dead, so
        every line of the writer comes before it."""
        if self.status is not None:
            return ""
        line = self.stdout.readline()
        assert line, "the writers' server died: " + self.stderr.read_text()
        if "\0exit" in line:
            self.status = int(line.split("\0exit")[1])
            return line.split("\0")[0]
        return line

    def stop(self) -> list[str]:
        """SIGKILL the writer now, if it lives; the lines it printed that were not read."""
        if self.status is None:
            # The server reaps a writer only once it is dead, so the process id is that of the
            # writer, or of none if it died on its own (pids are reused only after wrapping).
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        rest = []
        while self.status is None:
            rest.append(self.line())
        return rest

    def kill(self) -> list[str]:
        """As stop, for a writer that must have been alive until its SIGKILL."""
        rest = self.stop()
        assert self.status is not None and os.WIFSIGNALED(self.status), self.stderr.read_text()
        assert os.WTERMSIG(self.status) == signal.SIGKILL, self.stderr.read_text()
        return rest

    def close(self) -> None:
        if self.pid and self.status is None:  # a test stopped half-way: its writer lives
            self.stop()
        self.stdin.close()
        self.server.wait(timeout=60)
        self.errors.close()


@pytest.fixture(scope="module")
def writers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Writers]:
    server = Writers(tmp_path_factory.mktemp("writers") / "stderr.txt")
    yield server
    server.close()


def run_and_kill(writers: Writers, url: str, first: int, lines: int) -> list[tuple[int, int]]:
    """Start a writer, read `lines` lines from it (0: kill it as it starts), SIGKILL it, and
    return every (review id, n) it reported, including those printed before it died."""
    writers.start(url, first)
    seen = []
    for _ in range(lines):
        seen.append(writers.line())
        assert writers.status is None, "the writer died on its own: " + writers.stderr.read_text()
    reported = [line for line in seen + writers.kill() if line.endswith("\n")]
    pairs = [line.split() for line in reported if line[0].isdigit()]
    return [(int(a), int(b)) for a, b in pairs]


def test_sigkill_while_saving_reviews_loses_no_committed_review(
    writers: Writers, tmp_path: Path
) -> None:
    path = tmp_path / "tutor.db"
    url = f"sqlite:///{path}"
    rng = random.Random(20260301)
    reported: dict[int, int] = {}
    for round_ in range(ROUNDS):
        lines = 0 if round_ % 10 == 3 else rng.randint(1, 600)
        for review_id, n in run_and_kill(writers, url, first=round_ * 100_000, lines=lines):
            assert review_id not in reported
            reported[review_id] = n
    assert len(reported) > ROUNDS  # the children did commit reviews before they died

    with sqlite3.connect(path) as raw:  # the file as the crash left it, WAL included
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    raw.close()

    engine = open_store(url)
    try:
        with learner_session(engine, default_learner()) as session:
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


def test_sigkill_while_creating_the_database_leaves_one_that_opens(
    writers: Writers, tmp_path: Path
) -> None:
    for attempt in range(5):
        url = f"sqlite:///{tmp_path / f'tutor{attempt}.db'}"
        run_and_kill(writers, url, first=0, lines=0)  # killed during start-up: creation, sync
        engine = open_store(url)  # the file is either absent, empty, or complete
        try:
            with learner_session(engine, default_learner()) as session:
                assert count_reviews(session=session) == 0
        finally:
            engine.dispose()


def test_a_reader_beside_a_writer_sees_every_reported_review(
    writers: Writers, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    writers.start(url, 0)
    try:
        reported = 0
        engine = None
        while reported < 40:
            line = writers.line()
            assert writers.status is None, "the writer died: " + writers.stderr.read_text()
            if not line[0].isdigit():
                continue
            reported += 1
            if engine is None:
                engine = open_store(url)  # opened while the writer writes
            with learner_session(
                engine, default_learner()
            ) as session:  # reads never wait for the writer (WAL)
                assert count_reviews(session=session) >= reported
        assert engine is not None
        engine.dispose()
    finally:
        writers.stop()
