"""The scheduler fitted to a learner's reviews: fsrs-rs-python fits, py-fsrs schedules, and the
two must read the same 21 numbers the same way. Synthetic learners with known parameters,
simulated with their true parameters (no clock is read, nothing sleeps)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import fsrs_rs_python
import pytest

from tutor.study.fit import (
    LoggedReview,
    NotEnoughReviews,
    fit,
    log_loss,
    memory_states,
    scheduler_parameters,
)
from tutor.study.schedule import Memory, Rating, default_parameters, retrievability, review
from tutor.study.synthetic import LEARNERS, simulate

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def forgetful() -> list[LoggedReview]:
    return simulate(LEARNERS["forgets fast"], reviews=2_000, seed=2)


def test_both_libraries_have_the_same_21_defaults() -> None:
    ours = default_parameters()
    assert len(ours) == 21
    assert ours == pytest.approx(fsrs_rs_python.DEFAULT_PARAMETERS, abs=1e-6)


def test_the_optimizers_32_bit_weights_are_rounded_and_kept_in_the_schedulers_bounds() -> None:
    raw = list(default_parameters())
    raw[20] = 0.800000011920929  # 0.8 in float32: above py-fsrs's bound of 0.8
    raw[7] = 0.0010000000474974513
    raw[0] = -1.0  # below any bound
    fitted = scheduler_parameters(raw)
    assert fitted[20] == 0.8 and fitted[7] == 0.001 and fitted[0] == 0.001
    review(None, Rating.GOOD, T0, parameters=fitted)  # py-fsrs accepts them
    with pytest.raises(ValueError, match="21 parameters"):
        scheduler_parameters(raw[:19])


def test_fitted_parameters_mean_the_same_to_the_scheduler_as_to_the_optimizer(
    forgetful: list[LoggedReview],
) -> None:
    """Replaying each card's reviews through the scheduler (py-fsrs) with fitted parameters
    gives the memory states fsrs-rs computes with them, and the probability of recall behind
    each predicted review is the scheduler's own retrievability."""
    result = fit(forgetful)
    parameters = result.parameters
    assert parameters != default_parameters()
    expected = memory_states(parameters, forgetful)
    replayed: dict[str, Memory] = {}
    losses = []
    for logged in forgetful:
        before = replayed.get(logged.card_id)
        if before is not None and (logged.at - before.last_review).days >= 1:  # type: ignore[operator]
            recall = retrievability(before, logged.at, parameters=parameters)
            losses.append(-math.log(recall if logged.rating > 1 else 1 - recall))
        replayed[logged.card_id] = review(
            before, Rating(logged.rating), logged.at, fuzz=False, parameters=parameters
        )
    assert replayed.keys() == expected.keys()
    for card_id, memory in replayed.items():
        stability, difficulty = expected[card_id]
        assert memory.stability == pytest.approx(stability, rel=1e-4)
        assert memory.difficulty == pytest.approx(difficulty, rel=1e-4)
    assert log_loss(parameters, forgetful) == pytest.approx(sum(losses) / len(losses), rel=1e-4)


def test_a_learner_who_forgets_fast_gets_parameters_that_predict_better(
    forgetful: list[LoggedReview],
) -> None:
    result = fit(forgetful)
    assert result.reviews == 2_000
    assert 0 < result.heldout < 400  # the newest fifth, less the first looks at a card
    assert result.fitted_loss < result.default_loss - result.noise
    assert result.better
    # the true parameters predict better than the defaults too: the learner does differ
    true_loss = log_loss(LEARNERS["forgets fast"], forgetful, since=1_600)
    assert true_loss < result.default_loss
    assert log_loss(default_parameters(), forgetful, since=1_600) == pytest.approx(
        result.default_loss
    )


def test_a_learner_like_the_defaults_keeps_the_defaults() -> None:
    result = fit(simulate(LEARNERS["like the defaults"], reviews=1_500, seed=1))
    assert not result.better
    assert result.fitted_loss > result.default_loss - result.noise


def test_too_few_reviews_say_how_many_there_are_and_how_many_are_needed() -> None:
    log = simulate(LEARNERS["forgets fast"], reviews=120, seed=1)
    with pytest.raises(NotEnoughReviews, match=r"^120 reviews so far, and a fit needs 1,000$"):
        fit(log)
    one = [LoggedReview("c", T0, 3)]
    with pytest.raises(NotEnoughReviews, match="1 review so far"):
        fit(one)
    # enough reviews, but every one a first look: nothing to predict
    firsts = [LoggedReview(f"c{n}", T0 + timedelta(minutes=n), 3) for n in range(50)]
    with pytest.raises(NotEnoughReviews, match="come back to a card"):
        fit(firsts, min_reviews=10)


def test_days_between_reviews_are_whole_24_hour_periods_as_the_scheduler_counts_them() -> None:
    """Evening, then the next morning: 0 days for the scheduler (a same-day review), so the
    optimizer is not asked to predict it."""
    evening = T0.replace(hour=21)
    log = [
        LoggedReview("c", evening, 3),
        LoggedReview("c", evening + timedelta(hours=11), 3),  # next morning: 0 days
        LoggedReview("c", evening + timedelta(days=3), 1),
    ]
    memory = None
    for logged in log:
        memory = review(memory, Rating(logged.rating), logged.at, fuzz=False)
    assert memory is not None
    (stability, difficulty) = memory_states(default_parameters(), log)["c"]
    assert memory.stability == pytest.approx(stability, rel=1e-4)
    assert memory.difficulty == pytest.approx(difficulty, rel=1e-4)
    with pytest.raises(NotEnoughReviews):
        log_loss(default_parameters(), log[:2])  # the morning review is not a prediction
    assert log_loss(default_parameters(), log) > 0
