"""The store at scale: 10,000 cards and 1,000,000 reviews (targets: pick ≤ 50 ms, stats ≤ 0.5 s).

    python bench/scale.py [--cards 10000] [--reviews 1000000] [--repeat 7] [--keep DIR]

Builds the database in a temporary folder with bulk inserts (one transaction, executemany),
reopens it through `open_store`, then prints the best and median of:

- pick: what choosing today's card reads from the database: the memory states of the active
  cards and the progress row (which cards exist, and their order, come from the decks);
- active cards: the card rows of the active cards, as ORM objects (not on the pick path);
- stats: what `tutor stats --json` reads: `stats_counts` and `review_days` (for streaks).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

from tutor.store.engine import open_store
from tutor.store.models import MemoryRow, ReviewRow
from tutor.store.queries import (
    CardSnapshot,
    active_cards,
    load_progress,
    memory_states,
    review_days,
    stats_counts,
    sync_cards,
)

T0 = datetime(2023, 1, 1, 8, 0, tzinfo=UTC)
CHUNK = 50_000


def build(path: Path, cards: int, reviews: int) -> float:
    start = time.perf_counter()
    engine = open_store(f"sqlite:///{path}")
    rng = random.Random(7)
    snapshots = [
        CardSnapshot(
            f"card-{n:05d}", f"deck-{n // 100:03d}", f"decks/{n // 100:03d}.md", n % 100, "h"
        )
        for n in range(cards)
    ]
    reviewed = [s.id for s in snapshots[: cards * 8 // 10]]  # a fifth are still new
    days = 1000
    today = T0 + timedelta(days=days)
    with Session(engine) as session:
        sync_cards(session=session, cards=snapshots, now=T0)
        memories = [
            {
                "card_id": card_id,
                "state": 2,
                "step": None,
                "stability": rng.uniform(1, 300),
                "difficulty": rng.uniform(1, 10),
                "due": today + timedelta(hours=rng.uniform(-240, 2400)),
                "last_review": today - timedelta(days=rng.randint(1, 60)),
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
        cursor.close()
        session.commit()
    engine.dispose()
    return time.perf_counter() - start


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """First, best and median wall time of `action`, in seconds."""
    times = []
    for _ in range(repeat):
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
        path = folder / "scale.db"
        if path.exists():
            path.unlink()
        seconds = build(path, args.cards, args.reviews)
        size = path.stat().st_size / 2**20
        built = f"built {args.cards:,} cards, {args.reviews:,} reviews in {seconds:.1f} s"
        print(f"{built} ({size:.0f} MiB)")

        engine = open_store(f"sqlite:///{path}")
        today = (T0 + timedelta(days=999)).date()  # the last day with reviews
        end_of_today = T0 + timedelta(days=1000)

        def pick() -> None:
            with Session(engine) as session:
                states = memory_states(session=session)
                load_progress(session=session)
                assert len(states) == args.cards * 8 // 10

        def cards() -> None:
            with Session(engine) as session:
                assert len(active_cards(session=session)) == args.cards

        def stats() -> None:
            with Session(engine) as session:
                counts = stats_counts(session=session, today=today, end_of_today=end_of_today)
                review_days(session=session)
                assert counts["reviews"]["total"] == args.reviews

        for name, action, target in (
            ("pick today's card", pick, 0.050),
            ("stats", stats, 0.5),
            ("active cards", cards, None),
        ):
            first, best, median = timed(action, args.repeat)
            line = (
                f"{name:18} first {first * 1000:7.1f} ms  best {best * 1000:7.1f} ms  "
                f"median {median * 1000:7.1f} ms"
            )
            if target is not None:
                verdict = "ok" if median <= target else "OVER TARGET"
                line += f"  (target ≤ {target * 1000:.0f} ms: {verdict})"
            print(line)
        engine.dispose()


if __name__ == "__main__":
    main()
