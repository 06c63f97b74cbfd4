from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

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
