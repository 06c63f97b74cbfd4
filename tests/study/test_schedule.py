from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.study.schedule import Memory, Rating, retrievability, review

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rating", "days"), [(Rating.AGAIN, 1), (Rating.HARD, 1), (Rating.GOOD, 2), (Rating.EASY, 8)]
)
def test_new_card_intervals_are_whole_days(rating: Rating, days: int) -> None:
    memory = review(None, rating, NOW, fuzz=False)
    assert memory.due - NOW == timedelta(days=days)
    assert memory.last_review == NOW and memory.stability is not None


def test_intervals_follow_ratings_over_a_sequence_of_reviews() -> None:
    good = review(None, Rating.GOOD, NOW, fuzz=False)
    intervals = []
    memory: Memory = good
    for _ in range(4):
        at = memory.due
        memory = review(memory, Rating.GOOD, at, fuzz=False)
        intervals.append((memory.due - at).days)
    assert intervals == sorted(intervals) and intervals[-1] > intervals[0] >= 2
    lapse = review(memory, Rating.AGAIN, memory.due, fuzz=False)
    lapse_days = (lapse.due - memory.due).days
    # No same-day relearning steps: a lapse goes straight to a short interval of whole days.
    assert 1 <= lapse_days < intervals[-1] / 10
    assert lapse.due - memory.due == timedelta(days=lapse_days)


def test_higher_desired_retention_gives_shorter_intervals() -> None:
    first = review(None, Rating.GOOD, NOW, fuzz=False)
    at = first.due
    loose = review(first, Rating.GOOD, at, desired_retention=0.8, fuzz=False)
    strict = review(first, Rating.GOOD, at, desired_retention=0.95, fuzz=False)
    assert strict.due < loose.due


def test_retrievability_falls_with_time() -> None:
    memory = review(None, Rating.GOOD, NOW, fuzz=False)
    values = [retrievability(memory, NOW + timedelta(days=d)) for d in (0, 2, 10, 60)]
    assert values[0] == pytest.approx(1.0)
    assert values == sorted(values, reverse=True) and values[-1] < 0.7


@settings(max_examples=300, deadline=None)
@given(
    stability=st.floats(0.01, 40_000, allow_nan=False),
    seconds=st.integers(-86_400, 3_650 * 86_400),
    reviewed=st.booleans(),
    fitted=st.booleans(),
    decay=st.floats(0.1, 0.8),
)
def test_retrievability_is_the_packages(
    stability: float, seconds: int, reviewed: bool, fitted: bool, decay: float
) -> None:
    from fsrs import Card, Scheduler, State
    from fsrs.scheduler import DEFAULT_PARAMETERS

    parameters = (*DEFAULT_PARAMETERS[:20], decay) if fitted else None
    last = NOW if reviewed else None
    memory = Memory(2, None, stability, 5.0, NOW + timedelta(days=3), last)
    at = NOW + timedelta(seconds=seconds)
    scheduler = Scheduler(parameters=parameters or DEFAULT_PARAMETERS)
    card = Card(
        card_id=1,
        state=State(2),
        stability=stability,
        difficulty=5.0,
        due=memory.due,
        last_review=last,
    )
    expected = scheduler.get_card_retrievability(card, at)
    assert retrievability(memory, at, parameters=parameters) == expected
