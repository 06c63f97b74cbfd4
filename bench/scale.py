"""The store at scale: 10,000 cards and 1,000,000 reviews (targets: pick ≤ 50 ms, stats ≤ 0.5 s,
the check on every open ≤ 100 ms).

    python bench/scale.py [--cards 10000] [--reviews 1000000] [--repeat 7] [--keep DIR]

Writes the cards as real deck files (100 cards a file), syncs them through the study desk, adds
the memory states and reviews with bulk inserts, then prints the first, best and median of:

- pick today's card: on a fresh desk, as a new `tutor` process: compare the deck files with the
  last sync (a stat of each of the 100), read what the queue needs (the active cards, the reviews
  due), and choose (the unfinished card, due reviews by retrievability, new cards whose
  prerequisites are reconstructed);
- pick and open it: the same, then the sitting for the chosen card, which reads its part of its
  deck file and the file's head (the span the sync stored: bench/card_span.py measures it);
- stats (in process): the figures `tutor stats --json` prints;
- `tutor stats --json`: the whole command as a process, Python's start-up included;

and the store's checks of itself (`tutor.store.health`, `tutor.store.backup`):

- check on open: what every open does before anything is written (`health.check_on_open`), on
  the file as the store left it (sealed: nothing read), and on the file changed since (its change
  time moved, as any write moves it: unsealed, the whole `quick_check` up to 32 MiB, the light
  check above);
- quick_check, whole file: what a big file gets once a study day, before its backup;
- full check (doctor): `integrity_check`, the foreign keys, identity and schema;
- daily backup: SQLite's online backup of the whole file into a new one.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

from tutor.config import load_settings
from tutor.store import backup, health
from tutor.store.engine import open_store
from tutor.store.models import MemoryRow, ReviewRow
from tutor.study.clock import ManualClock
from tutor.today import Desk

T0 = datetime(2023, 1, 1, 8, 0, tzinfo=UTC)
CHUNK = 50_000


def write_decks(folder: Path, cards: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for file_no in range((cards + 99) // 100):
        parts = [f"---\nid: deck-{file_no:03d}\ntitle: Deck {file_no}\n---\n\n# Deck {file_no}\n"]
        for n in range(file_no * 100, min(cards, file_no * 100 + 100)):
            requires = f"requires: card-{n - 1:05d}\n" if n % 100 else ""
            parts.append(
                f"## Card {n}\nid: card-{n:05d}\nkind: fact\n{requires}\n"
                f"What is $x$ added {n + 2} times?\n\n### Answer\n${n + 2}x$\n\n"
                f"```check\nexpect: {n + 2}*x\nreal: x\n```\n\n"
                "### Hints\n1. Count.\n2. Multiply.\n\n### Why it matters\nScale.\n"
            )
        (folder / f"deck-{file_no:03d}.md").write_text("\n".join(parts), encoding="utf-8")


def build(folder: Path, cards: int, reviews: int) -> tuple[float, str, Path]:
    start = time.perf_counter()
    decks = folder / "decks"
    write_decks(decks, cards)
    url = f"sqlite:///{folder / 'scale.db'}"
    settings = load_settings(decks=[str(decks)], db=url, environ={"TUTOR_HOME": str(folder)})
    learner = settings.learner
    with Desk(settings, open_store(url), clock=ManualClock(T0)) as desk:
        desk.sync()
    engine = open_store(url)
    rng = random.Random(7)
    ids = [f"card-{n:05d}" for n in range(cards)]
    reviewed = [card_id for n, card_id in enumerate(ids) if n % 100 < 80]  # a fifth are new
    days = 1000
    today = T0 + timedelta(days=days)
    with Session(engine) as session:
        memories = [
            {
                "learner": learner,
                "card_id": card_id,
                "state": 2,
                "step": None,
                "stability": rng.uniform(1, 300),
                "difficulty": rng.uniform(1, 10),
                "due": today + timedelta(hours=rng.uniform(-240, 2400)),
                "last_review": today - timedelta(days=rng.randint(1, 60)),
                "reconstructed": True,
                "run": rng.randint(0, 9),
                "last_day": (today - timedelta(days=rng.randint(1, 60))).date(),
            }
            for card_id in reviewed
        ]
        session.execute(insert(MemoryRow), memories)
        # The reviews go in through the driver with values already in the stored form
        # (naive UTC text for datetimes, as UTCDateTime writes them): the ORM's per-row work
        # would triple the build time and is not what is measured here.
        columns = [c.name for c in ReviewRow.__table__.columns if c.name != "id"]
        sql = (
            f"INSERT INTO review ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        )
        cursor = session.connection().connection.dbapi_connection.cursor()
        stamp = "%Y-%m-%d %H:%M:%S.%f"
        done = 0
        while done < reviews:
            batch = []
            for n in range(done, min(done + CHUNK, reviews)):
                day = n * days // reviews
                started = T0 + timedelta(days=day, minutes=n % 600)
                success = rng.random() < 0.85
                batch.append(
                    (
                        learner,
                        reviewed[rng.randrange(len(reviewed))],  # card_id
                        (date(2023, 1, 1) + timedelta(days=day)).isoformat(),  # study_day
                        started.strftime(stamp),  # started_at
                        (started + timedelta(minutes=12)).strftime(stamp),  # ended_at
                        700.0,  # active_seconds
                        2,  # attempts
                        0 if success else 2,  # hints_used
                        not success,  # revealed
                        '["incorrect", "correct"]',  # verdicts
                        3 if success else 1,  # rating
                        success,
                        "x^2 + 2x + 1",  # final_answer
                        None,  # ideas_recalled
                        None,  # ideas_total
                    )
                )
            cursor.executemany(sql, batch)
            done += len(batch)
        # what save_review keeps per study day, filled in one go
        cursor.execute(
            "INSERT INTO study_day (learner, day, reviews, successes, repeat_reviews, "
            "repeat_successes) SELECT r.learner, r.study_day, count(*), sum(r.success), "
            "sum(r.id <> f.first_id), "
            "sum(r.id <> f.first_id AND r.success) FROM review r JOIN (SELECT learner, card_id, "
            "min(id) AS first_id FROM review GROUP BY learner, card_id) f "
            "ON f.learner = r.learner AND f.card_id = r.card_id "
            "GROUP BY r.learner, r.study_day"
        )
        cursor.close()
        session.commit()
    engine.dispose()
    return time.perf_counter() - start, url, decks


def timed(
    action: Callable[[], object], repeat: int, before: Callable[[], object] | None = None
) -> tuple[float, float, float]:
    """First, best and median wall time of `action`, in seconds (`before` runs untimed before
    each)."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times[0], min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build the database in DIR and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        (folder / "scale.db").unlink(missing_ok=True)
        seconds, url, decks = build(folder, args.cards, args.reviews)
        size = (folder / "scale.db").stat().st_size / 2**20
        built = f"built {args.cards:,} cards, {args.reviews:,} reviews in {seconds:.1f} s"
        print(f"{built} ({size:.0f} MiB)")

        settings = load_settings(decks=[str(decks)], db=url, environ={"TUTOR_HOME": str(folder)})
        now = T0 + timedelta(days=1000, hours=2)  # the day after the last reviews
        engine = open_store(url)

        def desk() -> Desk:
            return Desk(settings, engine, clock=ManualClock(now), zone=UTC)

        def pick() -> None:
            fresh = desk()
            assert fresh.sync().skipped and fresh.plan()

        def open_card() -> None:
            fresh = desk()
            assert fresh.sync().skipped
            sitting = fresh.next_sitting()
            assert sitting is not None and not fresh.shelf.read

        def stats() -> None:
            figures = desk().stats()
            assert figures.reviews_total == args.reviews

        env = {**os.environ, "TUTOR_HOME": str(folder), "TUTOR_CLOCK": now.isoformat()}
        command = [sys.executable, "-m", "tutor.cli", "stats", "--json", "--decks", str(decks)]
        command += ["--db", url]

        def stats_command() -> None:
            subprocess.run(command, env=env, check=True, capture_output=True)

        path = folder / "scale.db"
        size = path.stat().st_size
        copy = folder / "backup.db"

        def check_sealed() -> None:
            assert health.check_on_open(path).sealed

        def changed() -> None:  # ctime moves (a write would move it); bytes and mtime as they were
            now = path.stat()
            os.utime(path, ns=(now.st_atime_ns, now.st_mtime_ns))

        def check_changed() -> None:
            checked = health.check_on_open(path)
            assert not checked.sealed and checked.problem is None

        def whole_quick_check() -> None:
            assert health.whole_file_problem(path) is None

        def full_check() -> None:
            assert health.doctor(path).sound

        def daily_backup() -> None:
            copy.unlink(missing_ok=True)
            backup.make_backup(path, copy)

        con = health.read_only(path)
        kind = "whole" if health.quick_check(con, size).thorough else "light"
        con.close()
        limit = health.FULL_CHECK_BYTES / 2**20
        print(f"due today: {desk().stats().due_today:,} cards")
        print(f"check on open: the {kind} check (the whole quick_check up to {limit:.0f} MiB)")
        slow = min(args.repeat, 3)
        for name, action, target, repeat, before in (
            ("pick today's card", pick, 0.050, args.repeat, None),
            ("pick and open it", open_card, None, args.repeat, None),
            ("stats (in process)", stats, None, args.repeat, None),
            ("tutor stats --json", stats_command, 0.5, args.repeat, None),
            # the store closed: the file sealed as it leaves it (`tutor.store.seal`)
            ("check on open, sealed", check_sealed, 0.100, args.repeat, engine.dispose),
            ("check on open, changed", check_changed, 0.100, args.repeat, changed),
            ("quick_check, whole", whole_quick_check, None, slow, None),
            ("full check (doctor)", full_check, None, slow, None),
            ("daily backup", daily_backup, None, slow, None),
        ):
            first, best, median = timed(action, repeat, before)
            line = (
                f"{name:22} first {first * 1000:8.2f} ms  best {best * 1000:8.2f} ms  "
                f"median {median * 1000:8.2f} ms"
            )
            if target is not None:
                verdict = "ok" if median <= target else "OVER TARGET"
                line += f"  (target ≤ {target * 1000:.0f} ms: {verdict})"
            print(line)
        engine.dispose()


if __name__ == "__main__":
    main()
