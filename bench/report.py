"""`tutor report` at scale: 10,000 cards, 1,000,000 reviews by 5 learners, with their attempts.

    python bench/report.py [--cards 10000] [--reviews 1000000] [--learners 5] [--repeat 3]
                           [--keep DIR]

The deck files are bench/scale.py's (100 cards a file); the reviews are spread over the learners
and the cards, 1,000 days, and each has its attempts as a learner makes them: right at the first
try (60%), or one of five wrong answers first, then right (25%) or the answer shown (15%). A
note every thousand reviews. Then prints the first, best and median of:

- the report's queries alone (`tutor.store.report`, every deck; one deck);
- the whole report in process (`build_report`: the decks read, the queries, the text), every
  deck and one deck;
- `tutor report --json` as a process, Python's start-up and the decks' reading included.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from scale import T0, timed, write_decks

from tutor.config import load_settings
from tutor.store.engine import open_store
from tutor.study.clock import ManualClock
from tutor.today import Desk

CHUNK = 50_000
STAMP = "%Y-%m-%d %H:%M:%S.%f"


def build(folder: Path, cards: int, reviews: int, learners: int) -> tuple[float, str, Path]:
    start = time.perf_counter()
    decks = folder / "decks"
    write_decks(decks, cards)
    url = f"sqlite:///{folder / 'report.db'}"
    settings = load_settings(decks=[str(decks)], db=url, environ={"TUTOR_HOME": str(folder)})
    with Desk(settings, open_store(url), clock=ManualClock(T0)) as desk:
        desk.sync()
    engine = open_store(url)
    rng = random.Random(7)
    ids = [f"card-{n:05d}" for n in range(cards)]
    names = [f"learner-{n}" for n in range(learners)]
    days = 1000
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        review_sql = (
            "INSERT INTO review (id, learner, card_id, study_day, started_at, ended_at, "
            "active_seconds, attempts, hints_used, revealed, verdicts, rating, success, "
            "final_answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        attempt_sql = (
            "INSERT INTO attempt (learner, card_id, review_id, at, active_seconds, answer, "
            "verdict, feedback, read_as, step) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)"
        )
        note_sql = "INSERT INTO note (learner, card_id, written_at, text) VALUES (?, ?, ?, ?)"
        done = 0
        while done < reviews:
            review_rows, attempt_rows, note_rows = [], [], []
            for n in range(done, min(done + CHUNK, reviews)):
                review_id = n + 1
                learner = names[n % learners]
                number = rng.randrange(cards)
                card_id = ids[number]
                day = n * days // reviews
                started = T0 + timedelta(days=day, minutes=n % 600)
                right, wrong = f"{number + 2}x", [f"{number + 2 + k}x" for k in (-1, 1, 2)]
                wrong += ["x^2", f"x + {number + 2}"]
                roll = rng.random()
                seconds = rng.uniform(20, 600)
                attempts: list[tuple[str, str, float]] = []
                if roll < 0.6:
                    attempts.append((right, "correct", seconds))
                else:
                    attempts.append((rng.choice(wrong), "incorrect", seconds))
                    if roll < 0.85:
                        attempts.append((right, "correct", seconds + rng.uniform(10, 300)))
                success = attempts[-1][1] == "correct"
                ended = started + timedelta(seconds=attempts[-1][2] + 5)
                review_rows.append(
                    (
                        review_id,
                        learner,
                        card_id,
                        (date(2023, 1, 1) + timedelta(days=day)).isoformat(),
                        started.strftime(STAMP),
                        ended.strftime(STAMP),
                        attempts[-1][2] + 5,
                        len(attempts),
                        0 if success else 2,
                        not success,
                        "[" + ", ".join(f'"{v}"' for _, v, _ in attempts) + "]",
                        3 if len(attempts) == 1 else (2 if success else 1),
                        success,
                        attempts[-1][0],
                    )
                )
                for answer, verdict, at in attempts:
                    attempt_rows.append(
                        (
                            learner,
                            card_id,
                            review_id,
                            (started + timedelta(seconds=at)).strftime(STAMP),
                            at,
                            answer,
                            verdict,
                            "",
                            answer,
                        )
                    )
                if n % 1000 == 999:
                    note_rows.append((learner, card_id, started.strftime(STAMP), "why this?"))
            cursor.executemany(review_sql, review_rows)
            cursor.executemany(attempt_sql, attempt_rows)
            cursor.executemany(note_sql, note_rows)
            done += len(review_rows)
        raw.commit()
        cursor.close()
    finally:
        raw.close()
    engine.dispose()
    return time.perf_counter() - start, url, decks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--learners", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the database in DIR and keep it")
    args = parser.parse_args()

    from tutor.report import build_report, render_text
    from tutor.store.report import Window, card_activity, learner_notes, wrong_answers

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        path = folder / "report.db"
        if not path.exists():
            seconds, url, decks = build(folder, args.cards, args.reviews, args.learners)
            size = path.stat().st_size / 2**20
            print(
                f"built {args.cards:,} cards, {args.reviews:,} reviews by {args.learners} "
                f"learners in {seconds:.1f} s ({size:.0f} MiB)"
            )
        else:
            url, decks = f"sqlite:///{path}", folder / "decks"
            print(f"reusing {path}")
        settings = load_settings(decks=[str(decks)], db=url, environ={"TUTOR_HOME": str(folder)})
        now = T0 + timedelta(days=1000, hours=2)
        engine = open_store(url)
        desk = Desk(settings, engine, clock=ManualClock(now), zone=UTC)
        with engine.connect() as conn:
            attempts = conn.exec_driver_sql("SELECT count(*) FROM attempt").scalar_one()
        print(f"{attempts:,} attempts")
        number = min(42, (args.cards - 1) // 100)
        one = [f"deck-{number:03d}"]
        one_ids = [
            f"card-{n:05d}" for n in range(number * 100, min(args.cards, number * 100 + 100))
        ]

        def queries(window: Window) -> None:
            with desk.session() as session:
                card_activity(session=session, window=window)
                wrong_answers(session=session, window=window, per_card=10)
                learner_notes(session=session, window=window)

        def every_deck() -> None:
            report = build_report(desk)
            assert len(report.cards) == args.cards and report.active
            render_text(report)

        def one_deck() -> None:
            report = build_report(desk, one)
            assert len(report.cards) == len(one_ids)
            render_text(report)

        command = [sys.executable, "-m", "tutor.cli", "report", "--json", "--decks", str(decks)]
        command += ["--db", url]
        env = {**os.environ, "TUTOR_HOME": str(folder), "TUTOR_CLOCK": now.isoformat()}

        def report_command() -> None:
            subprocess.run(command, env=env, check=True, capture_output=True)

        since = datetime(2025, 9, 1, tzinfo=UTC)
        for name, action in (
            ("queries, every deck", lambda: queries(Window())),
            ("queries, one deck", lambda: queries(Window(one_ids))),
            ("queries, since", lambda: queries(Window(since=since, since_day=since.date()))),
            ("report, every deck", every_deck),
            ("report, one deck", one_deck),
            ("tutor report --json", report_command),
        ):
            first, best, median = timed(action, args.repeat)
            print(
                f"{name:20} first {first * 1000:8.1f} ms  best {best * 1000:8.1f} ms  "
                f"median {median * 1000:8.1f} ms"
            )
        desk.close()


if __name__ == "__main__":
    main()
