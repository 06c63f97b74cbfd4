"""Synthetic learners whose memory follows FSRS-6 with known parameters, for judging a fit of
the scheduler (`bench/fit.py`, the tests): the tutor schedules such a learner as it schedules
anyone (with the scheduler's parameters, by default FSRS's defaults), and whether each review is
recalled is drawn from the probability that the learner's own, true parameters give.

    log = simulate(LEARNERS["forgets fast"], reviews=2_000, seed=1)

Time is simulated: study days from `start`, the reviews of a day a few minutes apart from a
random hour of the morning. Nothing sleeps and nothing reads the system clock.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from tutor.study.fit import LoggedReview
from tutor.study.schedule import Memory, Parameters, Rating, default_parameters, retrievability
from tutor.study.schedule import review as schedule_review

FIRST_RATINGS = {Rating.AGAIN: 0.2, Rating.HARD: 0.2, Rating.GOOD: 0.6}
"""A new card's first rating (the recall model of issue 13)."""

RECALLED_RATINGS = {Rating.HARD: 0.15, Rating.GOOD: 0.8, Rating.EASY: 0.05}
"""The rating of a review that was recalled; one that was not is Again."""


def _learner(**changes: float) -> Parameters:
    weights = list(default_parameters())
    for name, value in changes.items():
        weights[int(name[1:])] = value
    return tuple(weights)


LEARNERS: Mapping[str, Parameters] = {
    # memory as the defaults have it: a fit should not do better than the defaults
    "like the defaults": default_parameters(),
    # a first look holds for less, and a success stretches stability less
    "forgets fast": _learner(w0=0.1, w1=0.6, w2=1.1, w3=4.0, w8=1.4, w11=1.0),
    # a first look holds for longer, and successes stretch stability more
    "remembers well": _learner(w0=0.5, w1=2.5, w2=5.0, w3=15.0, w8=2.2, w10=0.9),
    # a steeper curve: recall drops fast at first, then slowly
    "steep curve": _learner(w20=0.5, w2=3.0, w14=1.2),
}


def simulate(
    true: Parameters,
    *,
    reviews: int,
    seed: int,
    new_per_day: int = 5,
    scheduler: Parameters | None = None,
    desired_retention: float = 0.9,
    start: datetime = datetime(2026, 1, 5, tzinfo=UTC),
) -> list[LoggedReview]:
    """`reviews` reviews of a learner whose memory follows `true`, scheduled by `scheduler`
    (None: the defaults), in time order. Each day the cards due by its end are reviewed, then
    `new_per_day` new cards are learned."""
    rng = random.Random(seed)
    # per card: (memory as the scheduler has it, memory as the learner has it)
    cards: list[tuple[Memory, Memory]] = []
    waiting: list[tuple[datetime, int]] = []  # (due, card number): a heap
    log: list[LoggedReview] = []
    day = start
    while len(log) < reviews:
        end = day + timedelta(days=1)
        at = day + timedelta(hours=7, minutes=rng.randrange(360))
        while waiting and waiting[0][0] < end:
            _, number = heapq.heappop(waiting)
            scheduled, learner = cards[number]
            recall = retrievability(learner, at, parameters=true)
            rating = _draw(rng, RECALLED_RATINGS) if rng.random() < recall else Rating.AGAIN
            cards[number] = (
                _review(scheduled, rating, at, scheduler, desired_retention),
                _review(learner, rating, at, true, desired_retention),
            )
            heapq.heappush(waiting, (cards[number][0].due, number))
            log.append(LoggedReview(f"card-{number}", at, int(rating)))
            at += timedelta(minutes=3)
        for _ in range(new_per_day):
            rating = _draw(rng, FIRST_RATINGS)
            cards.append(
                (
                    _review(None, rating, at, scheduler, desired_retention),
                    _review(None, rating, at, true, desired_retention),
                )
            )
            heapq.heappush(waiting, (cards[-1][0].due, len(cards) - 1))
            log.append(LoggedReview(f"card-{len(cards) - 1}", at, int(rating)))
            at += timedelta(minutes=3)
        day = end
    return log[:reviews]


def _review(
    memory: Memory | None,
    rating: Rating,
    at: datetime,
    parameters: Parameters | None,
    desired_retention: float,
) -> Memory:
    return schedule_review(
        memory,
        rating,
        at,
        desired_retention=desired_retention,
        fuzz=False,
        parameters=parameters,
    )


def _draw(rng: random.Random, weights: Mapping[Rating, float]) -> Rating:
    return rng.choices(list(weights), weights=list(weights.values()))[0]
