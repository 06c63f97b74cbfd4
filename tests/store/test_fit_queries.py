"""The store's side of the fitted scheduler: the review log a fit reads, the record of each fit,
and memory states set only where no review came in meanwhile (on PostgreSQL too)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from tutor.store.models import MemoryRow, SchedulerFitRow
from tutor.store.queries import latest_fit, review_log, save_fit
from tutor.study.learner import default_learner
from tutor.study.synthetic import LEARNERS, simulate

from .conftest import T0, store_log


def fit_row(reviews: int, *, kept: bool, minutes: int = 0) -> SchedulerFitRow:
    return SchedulerFitRow(
        learner=default_learner(),
        fitted_at=T0 + timedelta(minutes=minutes),
        reviews=reviews,
        heldout=reviews // 6,
        default_loss=0.41,
        fitted_loss=0.39 if kept else 0.42,
        kept=kept,
        parameters="[0.1, 0.2]",
    )


def test_fits_are_recorded_and_memory_states_set_where_no_review_came_since(
    session: Session,
) -> None:
    log = simulate(LEARNERS["forgets fast"], reviews=120, seed=1, start=T0)
    store_log(session, log)
    assert review_log(session=session) == [(r.card_id, r.at, r.rating) for r in log]
    assert latest_fit(session=session) is None

    last = {r.card_id: r.at for r in log}
    first, second = list(last)[:2]
    changed = save_fit(
        session=session,
        fit=fit_row(120, kept=True),
        memories=[
            (first, last[first], 7.5, 4.25),
            (second, last[second] - timedelta(days=1), 99.0, 9.0),  # reviewed since: kept as is
        ],
    )
    assert changed == 1
    row = session.get(MemoryRow, (default_learner(), first))
    assert row is not None and (row.stability, row.difficulty) == (7.5, 4.25)
    other = session.get(MemoryRow, (default_learner(), second))
    assert other is not None and other.stability != 99.0

    save_fit(session=session, fit=fit_row(150, kept=False, minutes=5))
    newest = latest_fit(session=session)
    assert newest is not None
    later = T0 + timedelta(minutes=5)
    assert (newest.reviews, newest.kept, newest.fitted_at) == (150, False, later)
