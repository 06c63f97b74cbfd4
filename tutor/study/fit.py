"""FSRS-6 parameters fitted to the learner's own reviews, with `fsrs-rs-python` (the Rust
optimizer behind Anki's, as a 0.6 MB wheel: no torch).

    result = fit(log)                    # log: every review, LoggedReview(card, at, rating)
    if result.better:                    # on the held-out reviews, the fit beat the defaults
        use(result.parameters)           # for `tutor.study.schedule.review(parameters=...)`

How a fit is judged: the reviews are put in time order and the last `HOLDOUT` of them are held
out. Parameters are fitted on the reviews before them, and both those and the defaults predict
each held-out review (the probability of recall FSRS gives it from the card's earlier reviews);
the log loss of the two predictions is compared. Only when the fit predicts better are its
parameters kept, fitted again on the whole log. A learner whose memory is like the defaults'
keeps the defaults.

The log is read as the scheduler (`fsrs`, py-fsrs) reads it: the days between two reviews of a
card are whole 24-hour periods, so the fitted weights mean what the scheduler takes them to
mean (`tests/study/test_fit.py` holds the two libraries' memory states equal).
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tutor.study.schedule import Parameters, default_parameters

MIN_REVIEWS = 1_000
"""Reviews needed before a fit is tried (automatically, or by `tutor optimize`).

Why 1,000, measured with `python bench/fit.py --threshold`: four synthetic learners (one like
the defaults, three not), twenty logs each of 400 to 2,000 reviews as the tutor's default
schedule gives them; each kept fit is then judged on the same learner's next 2,000 reviews.
Below 1,000 the fits the held-out test lets through are often worse in truth: at 400 and 700
reviews every fit kept for the learner with a steeper forgetting curve predicted the coming
reviews worse than the defaults (log loss +0.025 and +0.010 on average, +0.037 at worst), and
the learner who forgets fast had a fit kept in only 1 and 2 logs of 20. From 1,000 on, a kept
fit is worse by at most about 0.01 and usually better (that learner: kept in 8 or 9 of 20,
better by 0.007 to 0.015 on average). At the default plan, a new card and a few reviews a
day, 1,000 reviews is about half a year of study."""

HOLDOUT = 0.2
"""The share of the log, the most recent reviews, held out to judge a fit."""

MARGIN = 1.0
"""How many standard errors of the difference the fit's held-out log loss must be below the
defaults' for the fit to be kept: a fit that wins by chance alone is not."""

REFIT_GROWTH = 1.25
"""A new fit is due automatically once the log has grown by a quarter since the last one."""


class NotEnoughReviews(ValueError):
    """Too few reviews to fit, or to judge a fit: the message says how many there are."""


@dataclass(frozen=True, slots=True)
class LoggedReview:
    """One review as the fit reads it."""

    card_id: str
    at: datetime
    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy


@dataclass(frozen=True)
class Fit:
    """A fit and how it did on the held-out reviews."""

    parameters: Parameters
    """Fitted on the whole log (when better), else on the reviews before the held-out ones."""
    reviews: int
    """Reviews in the log."""
    heldout: int
    """Held-out reviews that were predicted (a card's first review is not: it has no past)."""
    default_loss: float
    """Log loss of the defaults' predictions of the held-out reviews."""
    fitted_loss: float
    """Log loss of the predictions of parameters fitted on the reviews before them."""
    noise: float
    """The standard error of the difference of the two log losses (review by review)."""
    seconds: float
    """Time the fit took, both fits and the judging included."""

    @property
    def better(self) -> bool:
        """The fit predicts the held-out reviews better than the defaults do, by more than
        `MARGIN` standard errors of the difference."""
        return self.fitted_loss + MARGIN * self.noise < self.default_loss


def fit(
    log: Iterable[LoggedReview],
    *,
    holdout: float = HOLDOUT,
    min_reviews: int = MIN_REVIEWS,
) -> Fit:
    """Fit FSRS-6 to `log` and judge the fit on its most recent reviews (see the module's
    docstring). Raises NotEnoughReviews below `min_reviews`, or when the held-out part has
    nothing to predict."""
    from fsrs_rs_python import FSRS

    started = time.perf_counter()
    reviews = sorted(log, key=lambda r: r.at)
    if len(reviews) < min_reviews:
        raise NotEnoughReviews(
            f"{len(reviews):,} review{'s' if len(reviews) != 1 else ''} so far, and a fit needs "
            f"{min_reviews:,}"
        )
    predictions = _predictions(reviews)
    cut = len(reviews) - round(len(reviews) * holdout)  # the first held-out review
    train = [p for p in predictions if p.index < cut]
    test = [p for p in predictions if p.index >= cut]
    if len(train) < 2 or len(test) < 2:
        raise NotEnoughReviews(
            f"{len(reviews):,} reviews, but too few of them come back to a card a day or more "
            "later to fit and judge a fit"
        )
    defaults = default_parameters()
    trained = scheduler_parameters(FSRS(list(defaults)).compute_parameters(_items(train)))
    default_losses = _losses(defaults, test)
    fitted_losses = _losses(trained, test)
    differences = [f - d for f, d in zip(fitted_losses, default_losses, strict=True)]
    result = Fit(
        parameters=trained,
        reviews=len(reviews),
        heldout=len(test),
        default_loss=statistics.fmean(default_losses),
        fitted_loss=statistics.fmean(fitted_losses),
        noise=statistics.stdev(differences) / math.sqrt(len(differences)),
        seconds=0.0,
    )
    if result.better:
        everything = _items(predictions)
        result = replace(
            result,
            parameters=scheduler_parameters(FSRS(list(defaults)).compute_parameters(everything)),
        )
    return replace(result, seconds=time.perf_counter() - started)


def log_loss(parameters: Parameters, log: Iterable[LoggedReview], *, since: int = 0) -> float:
    """The log loss of `parameters`' predictions of the reviews of `log` from the `since`-th
    on (in time order), each predicted from its card's earlier reviews."""
    reviews = sorted(log, key=lambda r: r.at)
    test = [p for p in _predictions(reviews) if p.index >= since]
    if not test:
        raise NotEnoughReviews("no review to predict")
    return statistics.fmean(_losses(parameters, test))


def memory_states(
    parameters: Parameters, log: Iterable[LoggedReview]
) -> dict[str, tuple[float, float]]:
    """Each card's (stability, difficulty) after its reviews in `log`, as the scheduler would
    have them had it used `parameters` all along."""
    from fsrs_rs_python import FSRS, FSRSItem

    histories = _histories(sorted(log, key=lambda r: r.at))
    cards = list(histories)
    items = [FSRSItem(histories[card].reviews) for card in cards]
    states = FSRS(list(parameters)).memory_state_batch(items) if items else []
    return {
        card: (float(state.stability), float(state.difficulty))
        for card, state in zip(cards, states, strict=True)
    }


def scheduler_parameters(weights: Sequence[float]) -> Parameters:
    """Weights from the optimizer as the scheduler accepts them: 21 of them, each rounded to six
    significant digits (the optimizer works in 32-bit floats: 0.8 comes back as 0.800000012)
    and kept within the bounds the `fsrs` package checks."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    if len(weights) != len(LOWER_BOUNDS_PARAMETERS):
        raise ValueError(
            f"FSRS-6 has {len(LOWER_BOUNDS_PARAMETERS)} parameters, the fit gave {len(weights)}"
        )
    return tuple(
        min(max(float(f"{w:.6g}"), low), high)
        for w, low, high in zip(
            weights, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    )


# -- the log as the optimizer reads it ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Card:
    """A card's reviews in order: the index of each in the log, its rating, the whole days since
    the card's previous review (0 for the first), and the same as the optimizer's objects."""

    indices: list[int]
    ratings: list[int]
    days: list[int]
    reviews: list[Any]  # FSRSReview


@dataclass(frozen=True, slots=True)
class _Prediction:
    """A review to predict, the `end`-th of its card's, from the reviews before it."""

    index: int
    card: _Card
    end: int


def _histories(reviews: Sequence[LoggedReview]) -> dict[str, _Card]:
    from fsrs_rs_python import FSRSReview

    cards: dict[str, _Card] = {}
    last: dict[str, datetime] = {}
    for index, review in enumerate(reviews):
        before = last.get(review.card_id)
        # whole 24-hour periods, as the scheduler counts them (a clock set back counts 0)
        days = 0 if before is None else max(0, (review.at - before).days)
        card = cards.get(review.card_id)
        if card is None:
            card = cards[review.card_id] = _Card([], [], [], [])
        card.indices.append(index)
        card.ratings.append(review.rating)
        card.days.append(days)
        card.reviews.append(FSRSReview(review.rating, days))
        last[review.card_id] = review.at
    return cards


def _predictions(reviews: Sequence[LoggedReview]) -> list[_Prediction]:
    """What there is to predict: each review a day or more after its card's previous one, in
    the order of the log. (The histories are shared, not copied: a log of 100,000 reviews holds
    millions of reviews counted over all its predictions.)"""
    found = [
        _Prediction(index, card, end)
        for card in _histories(reviews).values()
        for end, (index, days) in enumerate(zip(card.indices, card.days, strict=True), start=1)
        if days > 0
    ]
    found.sort(key=lambda p: p.index)
    return found


def _items(predictions: Iterable[_Prediction], *, before: bool = False) -> list[Any]:
    """The optimizer's items: each prediction's history up to the review it predicts (with
    `before`, up to the review before it)."""
    from fsrs_rs_python import FSRSItem

    cut = 1 if before else 0
    return [FSRSItem(p.card.reviews[: p.end - cut]) for p in predictions]


def _losses(parameters: Parameters, predictions: Sequence[_Prediction]) -> list[float]:
    """The log loss of each prediction: the probability of recall FSRS gives the review from the
    card's reviews before it, against whether it was recalled (not Again)."""
    from fsrs_rs_python import FSRS

    states = FSRS(list(parameters)).memory_state_batch(_items(predictions, before=True))
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    losses = []
    for p, state in zip(predictions, states, strict=True):
        rating, days = p.card.ratings[p.end - 1], p.card.days[p.end - 1]
        recall = (1 + factor * days / state.stability) ** decay
        recall = min(max(recall, _EPSILON), 1 - _EPSILON)
        losses.append(-math.log(recall if rating > 1 else 1 - recall))
    return losses


_EPSILON = 1e-4  # predictions are kept this far from 0 and 1, as fsrs-rs keeps them
