"""The scheduler fitted to the learner's own reviews, through the desk, the store and the
`tutor` command: kept only when it predicts the newest reviews better, recorded either way,
used by the scheduler from then on, said by `tutor stats`; tried by itself at the start of a
study day once enough reviews exist, and never in the way of the study."""

from __future__ import annotations

import functools
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlmodel import select
from store.conftest import store_log

import tutor.optimize
from tutor.cli import main
from tutor.config import Settings
from tutor.deck.files import deck_fingerprint
from tutor.optimize import NotEnoughReviews, optimize, optimize_if_due
from tutor.store.models import MemoryRow
from tutor.store.quick import QuickReader, quick_stats
from tutor.study.clock import ManualClock
from tutor.study.fit import LoggedReview, memory_states
from tutor.study.schedule import Rating, default_parameters, review
from tutor.study.synthetic import LEARNERS, simulate
from tutor.today import Desk

from .conftest import DeskFactory

START = datetime(2025, 6, 2, tzinfo=UTC)  # the synthetic logs end before the tests' clock


def forgetful_log(reviews: int = 2_000) -> list[LoggedReview]:
    return list(_forgetful(reviews))


@functools.cache
def _forgetful(reviews: int) -> tuple[LoggedReview, ...]:
    return tuple(simulate(LEARNERS["forgets fast"], reviews=reviews, seed=2, start=START))


def with_log(desk: Desk, log: list[LoggedReview]) -> Desk:
    with desk.session() as session:
        store_log(session, log)
    return desk


def memory_rows(desk: Desk) -> dict[str, MemoryRow]:
    with desk.session() as session:
        return {row.card_id: row for row in session.exec(select(MemoryRow))}


def test_a_better_fit_is_kept_recorded_and_used_by_the_scheduler(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    log = forgetful_log()
    desk = with_log(open_desk(), log)
    assert desk.parameters() is None  # the defaults

    done = optimize(desk)
    assert done.kept and done.changed and done.fit.better
    fitted = done.fit.parameters
    assert len(fitted) == 21 and fitted != default_parameters()
    assert done.cards == len({r.card_id for r in log})

    # recorded with when, on how many reviews, and both held-out log losses
    last = desk.last_fit()
    assert last is not None
    assert (last.fitted_at, last.reviews, last.heldout, last.kept) == (
        clock.now(),
        2_000,
        done.fit.heldout,
        True,
    )
    assert last.fitted_loss == pytest.approx(done.fit.fitted_loss)
    assert last.fitted_loss < last.default_loss

    # every card's memory state is what the fitted parameters make of its reviews
    expected = memory_states(fitted, log)
    rows = memory_rows(desk)
    for card_id, (stability, difficulty) in expected.items():
        assert rows[card_id].stability == pytest.approx(stability, rel=1e-6)
        assert rows[card_id].difficulty == pytest.approx(difficulty, rel=1e-6)

    # a new desk (a new `tutor` process) schedules with the fitted parameters
    desk = open_desk()
    assert desk.parameters() == fitted
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.card.id == "double"
    sitting.submit("2*x")
    finished = sitting.finish()
    assert finished.outcome.rating is Rating.GOOD
    now = clock.now()
    with_fit = review(None, Rating.GOOD, now, fuzz=False, parameters=fitted)
    with_defaults = review(None, Rating.GOOD, now, fuzz=False)
    assert with_fit.stability != with_defaults.stability
    assert memory_rows(desk)["double"].stability == pytest.approx(with_fit.stability)
    assert finished.due == with_fit.due


def test_a_fit_that_is_not_better_keeps_the_defaults(open_desk: DeskFactory) -> None:
    desk = with_log(
        open_desk(), simulate(LEARNERS["like the defaults"], reviews=1_500, seed=1, start=START)
    )
    before = {card: (r.stability, r.difficulty) for card, r in memory_rows(desk).items()}
    done = optimize(desk)
    assert not done.kept and not done.changed and done.cards == 0
    assert desk.parameters() is None
    assert {card: (r.stability, r.difficulty) for card, r in memory_rows(desk).items()} == before
    last = desk.last_fit()
    assert last is not None and not last.kept and last.reviews == 1_500


def test_too_few_reviews_are_a_one_line_message(open_desk: DeskFactory, settings: Settings) -> None:
    desk = with_log(open_desk(), forgetful_log(300))
    with pytest.raises(NotEnoughReviews, match="300 reviews so far, and a fit needs 1,000"):
        optimize(desk)
    assert desk.last_fit() is None
    done = run(settings, "optimize")
    assert done.exit_code == 1
    assert done.stdout == ""
    assert done.stderr == (
        "tutor: not enough reviews to fit the scheduler: 300 reviews so far, and a fit needs "
        "1,000; it keeps its parameters\n"
    )


def run(settings: Settings, *args: str, clock: str = "2026-03-02T09:00:00+01:00") -> Result:
    decks = [a for d in settings.deck_dirs for a in ("--decks", str(d))]
    return CliRunner().invoke(
        main,
        [*args, *decks, "--db", settings.db_url],
        env={"TUTOR_CLOCK": clock},
        catch_exceptions=False,
    )


def test_tutor_optimize_says_what_it_fitted_and_what_it_kept(
    open_desk: DeskFactory, settings: Settings
) -> None:
    with_log(open_desk(), forgetful_log())
    done = run(settings, "optimize")
    assert done.exit_code == 0, done.stderr
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"fitted FSRS-6 to 2,000 reviews in \d+\.\d\d s", lines[0])
    assert re.fullmatch(
        r"held-out log loss, \d+ reviews of the newest fifth: fitted (0\.\d{4}), "
        r"defaults (0\.\d{4}) \(± 0\.\d{4}\)",
        lines[1],
    )
    fitted, defaults = re.findall(r"0\.\d{4}", lines[1])[:2]
    assert float(fitted) < float(defaults)
    cards = len({r.card_id for r in forgetful_log()})
    assert lines[2:] == [
        f"kept: the scheduler uses the fitted parameters; memory states of {cards:,} cards "
        "recomputed"
    ]
    # again on the same log: the same fit, nothing left to recompute
    again = run(settings, "optimize")
    assert again.stdout.splitlines()[2:] == ["kept: the scheduler uses the fitted parameters"]


def test_stats_say_which_parameters_are_in_use(open_desk: DeskFactory, settings: Settings) -> None:
    desk = with_log(open_desk(), forgetful_log())
    desk.close()
    before = run(settings, "stats")
    assert before.stdout.splitlines()[-1] == (
        "scheduler  FSRS-6 defaults; fitted to your reviews at the start of the next study day"
    )
    data = json.loads(run(settings, "stats", "--json").stdout)
    assert data["scheduler"] == {"parameters": "default", "last_fit": None}

    result = optimize(open_desk()).fit
    assert result.better
    shown = run(settings, "stats").stdout.splitlines()[-1]
    assert shown == (
        "scheduler  fitted on 2026-03-02 from 2,000 reviews (held-out log loss "
        f"{result.fitted_loss:.4f} fitted, {result.default_loss:.4f} defaults)"
    )
    data = json.loads(run(settings, "stats", "--json").stdout)
    assert data["scheduler"]["parameters"] == "fitted"
    last = data["scheduler"]["last_fit"]
    assert (last["reviews"], last["heldout"], last["kept"]) == (2_000, result.heldout, True)
    assert last["log_loss"] == {
        "default": round(result.default_loss, 4),
        "fitted": round(result.fitted_loss, 4),
    }
    assert datetime.fromisoformat(last["fitted_at"]) == datetime(2026, 3, 2, 8, tzinfo=UTC)
    # the quick path (sqlite3, what `tutor stats` read) and the store read the same
    desk = open_desk()
    quick = quick_stats(
        settings.db_url,
        fingerprint=deck_fingerprint(desk.deck_files()),
        learner=desk.learner,
        today=desk.today(),
        end_of_today=desk.day_bounds()[1],
    )
    assert quick is not None and quick.last_fit is not None
    assert quick.last_fit == desk.stats().last_fit


def test_stats_before_enough_reviews_say_how_many_a_fit_needs(
    open_desk: DeskFactory, settings: Settings
) -> None:
    open_desk().close()
    shown = run(settings, "stats").stdout.splitlines()[-1]
    assert (
        shown
        == "scheduler  FSRS-6 defaults; fitted to your reviews once there are 1,000 (0 so far)"
    )


def test_the_fit_runs_by_itself_at_the_start_of_a_study_day_once_enough_reviews_exist(
    open_desk: DeskFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = forgetful_log(2_000)
    desk = with_log(open_desk(), log[:999])
    assert optimize_if_due(desk) is None  # 999: not enough yet
    assert desk.last_fit() is None and desk.notices == []

    desk = with_log(open_desk(database_url=f"sqlite:///{tmp_path / 'more.db'}"), log)
    done = optimize_if_due(desk)
    assert done is not None and done.kept
    assert desk.notices == [
        f"the scheduler is now fitted to your 2,000 reviews: on the newest {done.fit.heldout} "
        f"its log loss is {done.fit.fitted_loss:.4f}, the defaults' "
        f"{done.fit.default_loss:.4f} (tutor stats)"
    ]
    more = f"sqlite:///{tmp_path / 'more.db'}"
    assert optimize_if_due(open_desk(database_url=more)) is None  # the log has not grown since
    # the same decision without the quick path (another kind of database, say)
    monkeypatch.setattr(QuickReader, "open", classmethod(lambda cls, url, fingerprint: None))
    assert optimize_if_due(open_desk(database_url=more)) is None
    assert optimize_if_due(open_desk()) is None
    fresh = open_desk(database_url=f"sqlite:///{tmp_path / 'fresh.db'}")
    assert optimize_if_due(fresh) is None and fresh.last_fit() is None


def test_the_fit_waits_for_the_log_to_grow_by_a_quarter_and_for_the_next_day() -> None:
    assert not tutor.optimize.fit_due(999, 0, None)
    assert tutor.optimize.fit_due(1_000, 0, None)
    assert not tutor.optimize.fit_due(1_000, 3, None)  # a review today: not the day's start
    assert not tutor.optimize.fit_due(1_249, 0, 1_000)
    assert tutor.optimize.fit_due(1_250, 0, 1_000)


def test_a_failing_fit_never_stops_the_study(
    open_desk: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = with_log(open_desk(), forgetful_log(1_000))
    before = memory_rows(desk)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the optimizer fell over")

    monkeypatch.setattr(tutor.optimize, "fit", broken)
    desk = open_desk()
    assert optimize_if_due(desk) is None
    assert desk.notices == [
        "the scheduler could not be fitted to your reviews (the optimizer fell over); it keeps "
        "the parameters it had"
    ]
    assert desk.last_fit() is None and desk.parameters() is None
    assert memory_rows(desk).keys() == before.keys()
    # and the day's card is there as usual
    sitting = desk.next_sitting()
    assert sitting is not None


def test_a_review_saved_while_the_fit_ran_is_not_overwritten(
    open_desk: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memory states are set only for cards whose last review is the one the fit read."""
    log = forgetful_log()
    desk = with_log(open_desk(), log)
    card = log[-1].card_id
    real_fit = tutor.optimize.fit

    def fit_while_reviewing(*args: object, **kwargs: object) -> object:
        result = real_fit(*args, **kwargs)  # type: ignore[arg-type]
        with desk.session() as session:  # the learner finishes a card meanwhile
            row = session.get(MemoryRow, (desk.learner, card))
            assert row is not None and row.last_review is not None
            row.last_review += timedelta(days=1)
            row.stability = 123.0
            session.commit()
        return result

    monkeypatch.setattr(tutor.optimize, "fit", fit_while_reviewing)
    done = optimize(desk)
    assert done.changed and done.cards == len({r.card_id for r in log}) - 1
    assert memory_rows(desk)[card].stability == 123.0


def test_the_optimize_command_is_listed() -> None:
    done = CliRunner().invoke(main, ["--help"])
    assert re.search(
        r"optimize\s+Fit the scheduler's FSRS parameters to your own reviews", done.output
    )
