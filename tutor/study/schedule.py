"""FSRS-6 scheduling through the `fsrs` package, day-level: no same-day learning steps, so a
card is seen at most once a day. Times are timezone-aware UTC.

`parameters` are the 21 FSRS-6 weights: None for the package's defaults, or those fitted to the
learner's own reviews (`tutor.study.fit`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from functools import lru_cache
from typing import Any


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


@dataclass(frozen=True)
class Memory:
    """What FSRS knows of one card after its reviews."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


Parameters = tuple[float, ...]
"""FSRS-6 weights, w0 … w20."""


@lru_cache(maxsize=8)
def _scheduler(desired_retention: float, fuzz: bool, parameters: Parameters | None = None) -> Any:
    from fsrs import Scheduler

    return Scheduler(
        parameters=default_parameters() if parameters is None else parameters,
        desired_retention=desired_retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=fuzz,
    )


def default_parameters() -> Parameters:
    """The `fsrs` package's FSRS-6 defaults."""
    from fsrs.scheduler import DEFAULT_PARAMETERS

    return tuple(float(w) for w in DEFAULT_PARAMETERS)


def review(
    memory: Memory | None,
    rating: Rating,
    at: datetime,
    *,
    desired_retention: float = 0.9,
    fuzz: bool = True,
    parameters: Parameters | None = None,
) -> Memory:
    """The memory state after a review rated `rating` at instant `at` (a new card: None)."""
    from fsrs import Card
    from fsrs import Rating as FsrsRating

    moment = at.astimezone(UTC)
    # An explicit card id: without one, fsrs's Card() sleeps a millisecond to make one.
    card = Card(card_id=0, due=moment) if memory is None else _fsrs_card(memory)
    updated, _log = _scheduler(desired_retention, fuzz, parameters).review_card(
        card, FsrsRating(int(rating)), review_datetime=moment
    )
    return Memory(
        state=int(updated.state),
        step=updated.step,
        stability=updated.stability,
        difficulty=updated.difficulty,
        due=updated.due,
        last_review=updated.last_review,
    )


def retrievability(
    memory: Memory,
    at: datetime,
    *,
    desired_retention: float = 0.9,
    parameters: Parameters | None = None,
) -> float:
    """The predicted probability of recalling the card at `at` (0 for a card never reviewed):
    FSRS-6's forgetting curve over the whole days since the last review, as the `fsrs`
    package computes it (tests/study/test_schedule.py holds the two equal), without making the
    package's card object: picking today's card computes this for every review due."""
    if memory.last_review is None or memory.stability is None:
        return 0.0
    return recall_after((at - memory.last_review).days, memory.stability, _curve(parameters))


def recall_after(days: int, stability: float, curve: tuple[float, float]) -> float:
    """`retrievability` after `days` whole days (none if negative) at `stability`, on the
    forgetting curve `curve` (`_curve`)."""
    decay, factor = curve
    return float((1 + factor * max(0, days) / stability) ** decay)


@lru_cache(maxsize=8)
def _curve(parameters: Parameters | None) -> tuple[float, float]:
    """FSRS-6's forgetting curve R(t) = (1 + factor·t/S)^decay: decay = −w20, and the factor
    that makes R(S) = 0.9."""
    weights = default_parameters() if parameters is None else parameters
    decay = -weights[20]
    return decay, 0.9 ** (1 / decay) - 1


def _fsrs_card(memory: Memory) -> Any:
    from fsrs import Card, State

    return Card(
        card_id=0,
        state=State(memory.state),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due.astimezone(UTC),
        last_review=memory.last_review.astimezone(UTC) if memory.last_review else None,
    )
