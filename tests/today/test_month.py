"""A month of daily use through the desk and a real database, with the clock injected: streaks
across gaps, the 4 a.m. boundary, a daylight-saving change, time zones, FSRS intervals."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tutor.config import Settings, load_settings
from tutor.store.engine import open_store
from tutor.store.models import ReviewRow
from tutor.store.queries import learner_session
from tutor.study.clock import ManualClock
from tutor.study.learner import default_learner
from tutor.study.schedule import Rating
from tutor.today import Finished, Sitting

from .conftest import BERLIN, desk_for

CARDS = 40


def many_cards(folder: Path) -> Path:
    """A deck of independent cards `k*x` (k = 2, 3, …), so a new card is always waiting."""
    parts = ["---\nid: many\ntitle: Many\ntimer: 5m\nreview_timer: 1m\n---\n\n# Many\n"]
    for k in range(2, CARDS + 2):
        parts.append(
            f"## Times {k}\nid: times-{k}\nkind: fact\n\nWrite $x$ added {k} times.\n\n"
            f"### Answer\n${k}x$\n\n```check\nexpect: {k}*x\nreal: x\n```\n\n"
            f"### Hints\n1. Count.\n2. {k} copies.\n\n### Why it matters\nCounting.\n"
        )
    folder.mkdir(parents=True)
    (folder / "many.md").write_text("\n".join(parts), encoding="utf-8")
    return folder


def make_settings(tmp_path: Path) -> Settings:
    decks = many_cards(tmp_path / "decks")
    return load_settings(decks=[str(decks)], environ={"TUTOR_HOME": str(tmp_path / "home")})


def study_once(settings: Settings, clock: ManualClock, action: str, zone=BERLIN) -> Finished:
    """One `tutor` run: open, take today's cards (the reviews due, then the new card), answer
    each as `action` says, close. Returns the last card's `Finished`."""
    return study_day(settings, clock, action, zone)[-1]


def study_day(settings: Settings, clock: ManualClock, action: str, zone=BERLIN) -> list[Finished]:
    """`study_once`, returning every card's `Finished`, in the order they were studied."""
    with desk_for(settings, clock, zone) as desk:
        desk.sync()
        done: list[Finished] = []
        kinds: list[bool] = []
        while (sitting := desk.next_sitting()) is not None:
            kinds.append(sitting.is_review)
            done.append(answer(sitting, clock, action))
        # a new card every day, whatever the reviews, after them
        assert kinds and kinds[-1] is False and all(kinds[:-1]), kinds
        return done


def answer(sitting: Sitting, clock: ManualClock, action: str) -> Finished:
    """Answer one card: `good` at once, `hint` after its timer, `reveal` after its timer."""
    k = sitting.card.id.removeprefix("times-")
    if action == "good":
        clock.advance(90)
        verdict = sitting.submit(f"{k}*x")
        assert verdict is not None and verdict.verdict == "correct"
    elif action == "hint":
        clock.advance(sitting.session.remaining())
        sitting.take_hint()
        sitting.submit(f"x*{k}")
    elif action == "reveal":
        sitting.submit("x")
        clock.advance(sitting.session.remaining())
        sitting.reveal()
    return sitting.finish()


def test_a_month_of_daily_use(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = date(2026, 3, 2)  # a Monday; Berlin moves to summer time on 29 March
    # (study day offset, action, local time of the session) and the streak expected after it
    plan: list[tuple[int, str, tuple[int, int], int]] = []
    plan += [(d, "good", (9, 0), d + 1) for d in range(5)]  # days 0-4: streak 1..5
    # days 5 and 6 skipped: the streak is broken by day 7
    plan += [(7, "reveal", (9, 0), 0)]  # revealed: studied, but no reconstruction
    plan += [(d, "good", (20, 0), d - 7) for d in range(8, 13)]  # 1..5
    plan += [(14, "good", (1, 30), 6)]  # 01:30 on the 14th calendar day: study day 13
    plan += [(14, "hint", (9, 0), 7)]  # the same calendar day, the next study day
    plan += [(d, "good", (7, 45), d - 7) for d in range(15, 30)]  # 8..22, across the DST change
    longest = 0
    reviews_seen: list[Finished] = []
    clock = ManualClock(datetime(2026, 3, 2, 8, 0, tzinfo=BERLIN))
    for offset, action, (hour, minute), expected in plan:
        moment = datetime.combine(first + timedelta(days=offset), datetime.min.time())
        moment = moment.replace(hour=hour, minute=minute, tzinfo=BERLIN)
        clock.advance((moment - clock.now()).total_seconds())
        day = study_day(settings, clock, action)
        finished = day[-1]  # the streak after the day's last card
        reviews_seen += day
        longest = max(longest, expected)
        assert (finished.streak.current, finished.streak.longest) == (expected, longest), (
            offset,
            action,
        )
        rating = {"good": Rating.GOOD, "hint": Rating.HARD, "reveal": Rating.AGAIN}[action]
        assert {f.outcome.rating for f in day} == {rating}
    engine = open_store(settings.db_url)
    try:
        with learner_session(engine, default_learner()) as session:
            from sqlmodel import col, select

            rows = list(session.exec(select(ReviewRow).order_by(col(ReviewRow.id))))
    finally:
        engine.dispose()
    # each review on the study day it belongs to (01:30 → the day before), a new card every day
    days = [(r.study_day - first).days for r in rows]
    studied = [0, 1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, *range(15, 30)]
    assert sorted(set(days)) == studied and days == sorted(days)
    assert len({r.card_id for r in rows}) == len(studied)
    assert len(rows) > len(studied)  # the reviews due came on the days they were due
    # a new card rated Good is due in 2 days, Again and Hard in 1 (FSRS-6 defaults, no steps)
    seen: set[str] = set()
    for finished, row in zip(reviews_seen, rows, strict=True):
        interval = (finished.due - row.ended_at).days
        if row.rating == Rating.AGAIN:
            assert interval == 1
        elif row.rating == Rating.GOOD and finished.run == 1 and row.card_id not in seen:
            assert interval == 2  # a new card; later Goods grow it
        seen.add(row.card_id)
    # reviews came back when due: a card first rated Good comes back two days later, and its
    # second Good is scheduled further out than its first
    by_card: dict[str, list[tuple[ReviewRow, Finished]]] = {}
    for finished, row in zip(reviews_seen, rows, strict=True):
        by_card.setdefault(row.card_id, []).append((row, finished))
    grown = [
        (later[1].due - later[0].ended_at) > (first_[1].due - first_[0].ended_at)
        for history in by_card.values()
        for first_, later in itertools.pairwise(history)
        if first_[0].rating == later[0].rating == Rating.GOOD
    ]
    assert grown and all(grown)


def test_the_study_day_follows_the_learners_time_zone(tmp_path: Path) -> None:
    """The same instant is Tuesday 11:30 in Tokyo and Monday 21:30 in New York."""
    instant = datetime(2026, 3, 10, 2, 30, tzinfo=ZoneInfo("UTC"))
    found = {}
    for name in ("Asia/Tokyo", "America/New_York"):
        settings = make_settings(tmp_path / name.replace("/", "-"))
        finished = study_once(settings, ManualClock(instant), "good", zone=ZoneInfo(name))
        engine = open_store(settings.db_url)
        with learner_session(engine, default_learner()) as session:
            from sqlmodel import select

            found[name] = session.exec(select(ReviewRow)).one().study_day
        engine.dispose()
        assert finished.streak.current == 1
    assert found == {"Asia/Tokyo": date(2026, 3, 10), "America/New_York": date(2026, 3, 9)}


def test_a_later_day_start_moves_the_boundary(tmp_path: Path) -> None:
    """With day_starts_at = 06:00, a session at 05:00 still counts for the day before."""
    settings = replace(make_settings(tmp_path), day_starts_at=datetime(2026, 1, 1, 6).time())
    clock = ManualClock(datetime(2026, 3, 2, 22, 0, tzinfo=BERLIN))
    study_once(settings, clock, "good")
    clock.advance(7 * 3600)  # 05:00 on 3 March: still study day 2 March, already studied
    with desk_for(settings, clock) as desk:
        assert desk.today() == date(2026, 3, 2) and desk.next_sitting() is None
    clock.advance(3600)  # 06:00: a new study day
    assert study_once(settings, clock, "good").streak.current == 2
