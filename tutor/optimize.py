"""The scheduler fitted to the learner, for every front end: `tutor optimize`, and the same
automatically at the start of a study day once enough reviews exist.

    done = optimize(desk)          # raises NotEnoughReviews (a one-line message)
    done = optimize_if_due(desk)   # None when no fit is due; never raises

A fit reads every review in the database, fits FSRS-6 to them and judges the fit on the most
recent fifth (`tutor.study.fit`). It is recorded either way, with when it ran, the number of
reviews and both held-out log losses: the newest record says which parameters the scheduler
uses, the fitted ones when they predicted better than the defaults, else the defaults. When the
parameters in use change, every card's memory state (stability, difficulty) is computed again
from its reviews with the new ones, in the same transaction; due dates stay as they are, and the
reviews themselves are only read.

Automatically, a fit is tried before the day's first card when the log holds `MIN_REVIEWS`
reviews and has grown by a quarter since the last fit (`REFIT_GROWTH`): a few times in a
learner's first years, a tenth of a second for 10,000 reviews (`bench/fit.py`). Any failure
there becomes a notice, never an error: the study goes on with the parameters it had.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tutor.study.fit import (
    MIN_REVIEWS,
    REFIT_GROWTH,
    Fit,
    LoggedReview,
    NotEnoughReviews,
    fit,
    memory_states,
)
from tutor.study.schedule import default_parameters

if TYPE_CHECKING:
    from tutor.today import Desk

__all__ = ["NotEnoughReviews", "Optimized", "fit_due", "optimize", "optimize_if_due"]


@dataclass(frozen=True)
class Optimized:
    """A fit done and recorded."""

    fit: Fit
    kept: bool
    """The fitted parameters are in use (they did better on the held-out reviews)."""
    changed: bool
    """The parameters in use changed (from the defaults or an earlier fit, or back to the
    defaults)."""
    cards: int
    """Memory states computed again with the parameters now in use."""


def optimize(desk: Desk, *, min_reviews: int = MIN_REVIEWS) -> Optimized:
    """Fit the scheduler to every review in the desk's database, and record the fit."""
    from tutor.store import queries as q
    from tutor.store.models import SchedulerFitRow

    with desk.session() as session:
        log = [LoggedReview(*row) for row in q.review_log(session=session)]
    result = fit(log, min_reviews=min_reviews)
    before = desk.parameters()
    after = result.parameters if result.better else None
    memories: list[tuple[str, datetime, float, float]] = []
    if after != before:
        states = memory_states(after or default_parameters(), log)
        last = {review.card_id: review.at for review in log}
        memories = [(card, last[card], s, d) for card, (s, d) in states.items()]
    row = SchedulerFitRow(
        learner=desk.learner,
        fitted_at=desk.now(),
        reviews=result.reviews,
        heldout=result.heldout,
        default_loss=result.default_loss,
        fitted_loss=result.fitted_loss,
        kept=result.better,
        parameters=json.dumps(list(result.parameters)),
    )
    with desk.session() as session:
        cards = q.save_fit(session=session, fit=row, memories=memories)
    desk.forget_parameters()
    desk.forget_queue()  # the memory states changed
    return Optimized(fit=result, kept=result.better, changed=after != before, cards=cards)


def fit_due(reviews: int, reviews_today: int, last_fit_reviews: int | None) -> bool:
    """Whether a fit is due automatically: at the start of a study day (no review yet today),
    once the log holds `MIN_REVIEWS` reviews and has grown by `REFIT_GROWTH` since the last fit
    (None: never fitted)."""
    if reviews_today or reviews < MIN_REVIEWS:
        return False
    return last_fit_reviews is None or reviews >= REFIT_GROWTH * last_fit_reviews


def optimize_if_due(desk: Desk) -> Optimized | None:
    """Fit the scheduler if a fit is due (`fit_due`); a notice says what changed. Never raises:
    a failure leaves the parameters as they were, with a notice."""
    try:
        if not _due(desk):
            return None
        done = optimize(desk)
    except Exception as exc:  # the study goes on whatever happened to the fit
        desk.notices.append(
            f"the scheduler could not be fitted to your reviews ({exc}); "
            "it keeps the parameters it had"
        )
        return None
    if done.changed:
        result = done.fit
        if done.kept:
            desk.notices.append(
                f"the scheduler is now fitted to your {result.reviews:,} reviews: on the newest "
                f"{result.heldout:,} its log loss is {result.fitted_loss:.4f}, the defaults' "
                f"{result.default_loss:.4f} (tutor stats)"
            )
        else:
            desk.notices.append(
                "the scheduler is back on FSRS's defaults: a new fit to your reviews did not "
                "predict the newest ones better (tutor stats)"
            )
    return done


def _due(desk: Desk) -> bool:
    """`fit_due` for the desk's database, read with sqlite3 when it can be: deciding that no
    fit is due must not cost the quick start its half second of SQLAlchemy."""
    from tutor.deck.files import deck_fingerprint
    from tutor.store.quick import QuickReader

    today = desk.today()
    reader = QuickReader.open(
        desk.settings.db_url, deck_fingerprint(desk.deck_files()), desk.learner
    )
    if reader is not None:
        with reader:
            facts = reader.guarded(lambda _: reader.fit_facts(today))
        if facts is not None:
            return fit_due(*facts)
    from tutor.store import queries as q

    with desk.session() as session:
        reviews = q.count_reviews(session=session)
        reviews_today = q.count_reviews(session=session, since_day=today)
        last = q.latest_fit(session=session)
    return fit_due(reviews, reviews_today, last.reviews if last is not None else None)
