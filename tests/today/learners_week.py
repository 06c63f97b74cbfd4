"""A study group's week, as separate `tutor study --plain` processes started together each day
on one database (SQLite or PostgreSQL): each learner's reviews, streak, notes and timer must
be theirs alone. Shared by tests/today/test_learners.py and tests/store/test_postgres.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

DECK = """\
---
id: doubles
title: Doubles
timer: 10m
review_timer: 2m
---

# Doubles

""" + "\n".join(
    f"""## Double, take {n}
id: double-{n}
kind: fact

Write $x + x$ as a product (take {n}).

### Answer
$2x$

```check
expect: 2*x
real: x
accept: x*2
accept: 2 x
reject: x^2
reject: x
```

### Hints
1. Count the copies of $x$.
2. It is $2x$.

### Why it matters
Counting, take {n}.
"""
    for n in range(1, 13)
)

DAYS = 7


@dataclass(frozen=True)
class Learner:
    name: str
    note: str | None = None  # written on every card, before answering
    wrong_first: bool = False  # one wrong answer before the right one
    quits_last_day: bool = False  # on the last day: one wrong answer, then :quit


def lines_for(learner: Learner, last_day: bool) -> str:
    if last_day and learner.quits_last_day:
        return "3x\n:quit\n"
    card = ([f":note {learner.note}"] if learner.note else []) + (
        ["3x"] if learner.wrong_first else []
    )
    # each card: its lines, the right answer, then the two lines after a card rated Good
    return "".join(f"{line}\n" for line in [*card, "2x", "", ""] * 12)


def clock(day: int) -> str:
    return f"2026-03-{2 + day:02d}T09:00+01:00"


def study_week(
    home: Path, deck_dir: Path, db_url: str, learners: list[Learner], days: int = DAYS
) -> dict[str, list[str]]:
    """Each day, every learner's tutor started at once; all must succeed. Returns what each
    learner's tutor printed, day by day."""
    printed: dict[str, list[str]] = {learner.name: [] for learner in learners}
    env = {**os.environ, "TUTOR_HOME": str(home), "TZ": "Europe/Berlin", "TUTOR_DB": db_url}
    for day in range(days):
        running = []
        for learner in learners:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tutor.cli",
                    "--learner",
                    learner.name,
                    "study",
                    "--plain",
                    "--decks",
                    str(deck_dir),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**env, "TUTOR_CLOCK": clock(day)},
            )
            running.append((learner, process))
        for learner, process in running:
            out, err = process.communicate(lines_for(learner, day == days - 1), timeout=300)
            assert process.returncode == 0, f"{learner.name}, day {day + 1}: {err}\n{out}"
            printed[learner.name].append(out)
    return printed


def stats(home: Path, db_url: str, learner: str, deck_dir: Path, days: int) -> dict[str, object]:
    env = {
        **os.environ,
        "TUTOR_HOME": str(home),
        "TZ": "Europe/Berlin",
        "TUTOR_DB": db_url,
        "TUTOR_CLOCK": clock(days - 1),
        "TUTOR_LEARNER": learner,
    }
    done = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "stats", "--json", "--decks", str(deck_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert isinstance(figures, dict)
    return figures


def check_week(
    home: Path,
    deck_dir: Path,
    db_url: str,
    learners: list[Learner],
    printed: dict[str, list[str]],
) -> None:
    days_studied = len(next(iter(printed.values())))
    """What each learner's week left in the database is theirs, as their tutors printed it,
    and `tutor stats` says so."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:

            def rows(sql: str, learner: str) -> list[tuple[object, ...]]:
                return [tuple(r) for r in conn.execute(text(sql), {"l": learner}).all()]

            for learner in learners:
                days = days_studied - 1 if learner.quits_last_day else days_studied
                said = printed[learner.name]
                finished = sum(out.count("; rated ") for out in said)
                reviews = rows("SELECT verdicts FROM review WHERE learner = :l", learner.name)
                # the day's new card each day, and the reviews that fell due
                assert len(reviews) == finished and finished >= days, (learner.name, reviews)
                verdicts = ["incorrect", "correct"] if learner.wrong_first else ["correct"]
                assert {json.dumps(verdicts)} == {r[0] for r in reviews}, learner.name
                notes = rows("SELECT text FROM note WHERE learner = :l", learner.name)
                assert notes == ([(learner.note,)] * finished if learner.note else []), notes
                progress = rows(
                    "SELECT card_id, state_json FROM progress WHERE learner = :l", learner.name
                )
                if learner.quits_last_day:
                    ((card_id, state),) = progress
                    attempts = json.loads(str(state))["attempts"]
                    assert [a["answer"] for a in attempts] == ["3x"]
                    assert str(card_id).startswith("double-")
                else:
                    assert all(json.loads(str(state))["attempts"] == [] for _, state in progress), (
                        learner.name,
                        progress,
                    )
                days_rows = rows("SELECT count(*) FROM study_day WHERE learner = :l", learner.name)
                assert days_rows == [(days,)]
            names = [r[0] for r in conn.execute(text("SELECT name FROM learner ORDER BY name"))]
            assert names == sorted(learner.name for learner in learners)
    finally:
        engine.dispose()
    for learner in learners:
        figures = stats(home, db_url, learner.name, deck_dir, days_studied)
        streak = figures["streak"]
        assert isinstance(streak, dict)
        expected = days_studied - 1 if learner.quits_last_day else days_studied
        assert streak["current"] == expected, (learner.name, figures)
        reviews = figures["reviews"]
        total = sum(out.count("; rated ") for out in printed[learner.name])
        assert isinstance(reviews, dict) and reviews["total"] == total, learner.name
