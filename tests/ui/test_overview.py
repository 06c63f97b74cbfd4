"""What the stats screen and the deck browser show, read from a real database: study days,
the reviews due ahead, the decks and their cards (tutor/overview.py, no Textual)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from tutor.overview import (
    CardStatus,
    StudyDay,
    card_preview,
    deck_cards,
    deck_summaries,
    forecast,
    history,
    stats_overview,
)
from tutor.store.queries import due_counts, learner_session
from tutor.study.clock import ManualClock
from tutor.study.learner import default_learner
from tutor.today import Desk

from .conftest import DeskFactory, study_days, study_one

MAR = {n: date(2026, 3, n) for n in range(1, 32)}  # the clock starts on Monday 2 March 2026


def test_the_history_has_every_day_with_its_reviews_and_reconstructions(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = study_days(open_desk, clock, "++.-+")  # 2 to 6 March; the desk opens on the 7th
    past = history(desk, days=7)
    assert (past.first, past.last) == (MAR[1], MAR[7])
    assert [(d.day, d.reviews, d.successes) for d in past.days] == [
        (MAR[1], 0, 0),
        (MAR[2], 1, 1),
        (MAR[3], 1, 1),
        (MAR[4], 0, 0),
        (MAR[5], 1, 0),
        (MAR[6], 1, 1),
        (MAR[7], 0, 0),
    ]
    assert (past.reviews, past.successes, past.days_studied, past.days_reconstructed) == (
        4,
        3,
        4,
        3,
    )
    assert past.on(MAR[5]) == StudyDay(MAR[5], 1, 0)
    assert past.on(date(2025, 1, 1)) == StudyDay(date(2025, 1, 1))  # outside: nothing
    assert [d.day for d in past.recent(3).days] == [MAR[5], MAR[6], MAR[7]]
    assert len(history(desk).days) == 365 and history(desk).last == MAR[7]


def test_a_review_after_midnight_counts_for_the_evening_before(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    clock.advance(17 * 3600)  # 02:00 on Tuesday 3 March in Berlin: still Monday's study day
    desk = open_desk()
    assert desk.today() == MAR[2]
    study_one(desk, clock)
    past = history(open_desk(), days=2)
    assert past.last == MAR[2] and [d.reviews for d in past.days] == [0, 1]
    # for a learner whose day starts at midnight it is Tuesday; the review stays on its day
    midnight = history(open_desk(day_starts_at=time(0, 0)), days=2)
    assert midnight.last == MAR[3] and [d.reviews for d in midnight.days] == [1, 0]


def test_study_days_are_those_of_the_desks_time_zone(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    # 09:00 in Berlin is midnight in Los Angeles: before 04:00 there, so still 1 March
    desk = open_desk(zone=ZoneInfo("America/Los_Angeles"))
    study_one(desk, clock)
    past = history(desk, days=2)
    assert past.last == MAR[1] and [d.reviews for d in past.days] == [0, 1]


def test_the_forecast_counts_reviews_by_study_day_and_overdue_ones_today(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    study_one(open_desk(), clock)  # double, Good: due in two days, on 4 March
    ahead = forecast(open_desk(), days=5)
    assert [(d.day, d.due) for d in ahead] == [
        (MAR[2], 0),
        (MAR[3], 0),
        (MAR[4], 1),
        (MAR[5], 0),
        (MAR[6], 0),
    ]
    clock.advance(3 * 86_400)  # 5 March: overdue since yesterday
    assert [d.due for d in forecast(open_desk(), days=3)] == [1, 0, 0]


def test_the_periods_of_due_counts_must_increase(open_desk: DeskFactory) -> None:
    desk = open_desk()
    start, end = desk.day_bounds()
    with learner_session(desk.engine, default_learner()) as session:
        assert due_counts(session=session, ends=[]) == []
        with pytest.raises(ValueError, match="increase"):
            due_counts(session=session, ends=[end, start])


def test_the_stats_overview_puts_the_figures_together(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = study_days(open_desk, clock, "++")
    study_one(desk, clock)  # and today, the 4th: double is due
    figures = stats_overview(desk, days=30, ahead=7)
    assert figures.today == MAR[4] and figures.reconstructed_today
    assert (figures.stats.streak.current, figures.stats.reviews_total) == (3, 3)
    assert len(figures.history.days) == 30 and len(figures.forecast) == 7
    assert figures.history.reviews == 3


def test_the_decks_count_their_new_due_and_reconstructed_cards(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    first = deck_summaries(desk)
    assert [(s.deck_id, s.title, s.is_proof, s.cards, s.new, s.due) for s in first] == [
        ("mini", "Mini deck", False, 3, 3, 0),
        ("zero-proof", "Adding zero", True, 2, 2, 0),  # the escape in its title is gone
    ]
    study_one(desk, clock)  # double
    clock.advance(2 * 86_400)
    mini = deck_summaries(open_desk())[0]
    assert (mini.cards, mini.new, mini.due, mini.reconstructed, mini.problems) == (3, 2, 1, 1, 0)


def test_a_deck_with_errors_says_how_many(open_desk: DeskFactory, deck_dir: Path) -> None:
    text = (deck_dir / "mini.md").read_text(encoding="utf-8")
    (deck_dir / "mini.md").write_text(text.replace("id: square", "id: double"), encoding="utf-8")
    summaries = {s.deck_id: s for s in deck_summaries(open_desk())}
    assert summaries["mini"].problems >= 1 and summaries["zero-proof"].problems == 0


def test_each_card_says_where_it_stands(open_desk: DeskFactory, clock: ManualClock) -> None:
    desk = study_days(open_desk, clock, "++-")  # double, square, then double (due) failed
    cards = {c.card_id: c for c in deck_cards(desk, "mini")}
    assert list(cards) == ["double", "square", "triple"]  # in the deck's order
    double, square, triple = cards["double"], cards["square"], cards["triple"]
    assert (double.status, double.run, double.last_day) == (CardStatus.RELEARNING, 0, MAR[4])
    assert (square.status, square.run, square.title, square.kind) == (
        CardStatus.REVIEW,
        1,
        "Square",
        "definition",
    )
    assert (triple.status, triple.due, triple.due_day, triple.due_now) == (
        CardStatus.NEW,
        None,
        None,
        False,
    )
    assert (double.due_day, double.due_now) == (MAR[5], True)  # today is the 5th
    assert (square.due_day, square.due_now) == (MAR[5], True)  # Good on the 3rd: two days
    assert deck_cards(desk, "no-such-deck") == []


def test_a_card_never_reconstructed_is_learning(open_desk: DeskFactory, clock: ManualClock) -> None:
    desk = study_days(open_desk, clock, "-")
    double = deck_cards(desk, "mini")[0]
    assert (double.card_id, double.status, double.run) == ("double", CardStatus.LEARNING, 0)
    assert double.due_now  # failed yesterday: due again today


def test_the_preview_shows_the_question_and_keeps_the_answer_apart(
    open_desk: DeskFactory,
) -> None:
    desk = open_desk()
    double = card_preview(desk, "mini", "double")
    assert double is not None
    assert double.prompt == "What is x + x as a product?"  # the $…$ rendered as text
    assert (double.hints, double.key_ideas, double.checked, double.requires) == (3, 0, True, ())
    assert double.answer == "2x" and double.why == "Counting."
    assert (double.deck_title, double.step, double.statement) == ("Mini deck", None, None)
    assert double.card.status is CardStatus.NEW

    square = card_preview(desk, "mini", "square")
    assert square is not None and (square.checked, square.key_ideas) == (False, 2)
    assert square.requires == ("Double",)

    step = card_preview(desk, "zero-proof", "zero-2")
    assert step is not None
    assert (step.card.title, step.step) == ("Simplify it", "step 2 of 2")
    assert step.statement == "Theorem. a + 0 = a for every number a."
    assert card_preview(desk, "mini", "zero-2") is None  # not in that deck


@contextmanager
def statements(desk: Desk) -> Iterator[list[str]]:
    """The SQL statements run on the desk's engine inside the block."""
    seen: list[str] = []

    def record(conn: object, cursor: object, sql: str, *args: object) -> None:
        seen.append(sql)

    event.listen(desk.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(desk.engine, "before_cursor_execute", record)


def test_the_decks_are_read_in_one_query_however_many_cards(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = study_days(open_desk, clock, "++")
    desk.collection()  # the decks are read from their files, not from the database
    with statements(desk) as seen:
        deck_summaries(desk)
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1
    with statements(desk) as seen:
        deck_cards(desk, "mini")
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1


def test_retired_cards_are_neither_listed_nor_due(
    open_desk: DeskFactory, deck_dir: Path, clock: ManualClock
) -> None:
    study_one(open_desk(), clock)  # double, due on the 4th
    (deck_dir / "mini.md").unlink()
    desk = open_desk()
    desk.sync()
    assert [s.deck_id for s in deck_summaries(desk)] == ["zero-proof"]
    assert deck_cards(desk, "mini") == []
    clock.advance(2 * 86_400)
    assert [d.due for d in forecast(open_desk(), days=3)] == [0, 0, 0]


def test_importing_the_overview_and_its_screens_loads_no_database_code() -> None:
    code = (
        "import sys, tutor.overview, tutor.ui.screens.stats, tutor.ui.screens.decks\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_desk_in_utc_counts_its_own_days(open_desk: DeskFactory, clock: ManualClock) -> None:
    desk = open_desk(zone=UTC)  # 08:00 UTC on 2 March
    study_one(desk, clock)  # double, due at 08:00 UTC on the 4th
    assert history(desk, days=1).days == (StudyDay(MAR[2], 1, 1),)
    assert [(d.day, d.due) for d in forecast(desk, days=3)] == [
        (MAR[2], 0),
        (MAR[3], 0),
        (MAR[4], 1),
    ]
