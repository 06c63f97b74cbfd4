"""A kept fit's parameters are read back as the 21 weights the fit stored; a row another program
rewrote is a one-line error, not a failure deep in the scheduler at the next answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tutor.store.errors import UnreadableValue
from tutor.store.models import SchedulerFitRow
from tutor.study.schedule import default_parameters
from tutor.today.figures import fitted_parameters

from .conftest import DeskFactory

WEIGHTS = [round(w * 1.01, 4) for w in default_parameters()]


def test_the_stored_weights_read_back_as_they_were() -> None:
    assert fitted_parameters(json.dumps(WEIGHTS)) == tuple(WEIGHTS)


@pytest.mark.parametrize(
    "stored",
    [
        "not json",
        "{}",
        json.dumps(WEIGHTS[:3]),
        json.dumps([*WEIGHTS[:-1], "x"]),
        json.dumps([*WEIGHTS[:-1], float("nan")]),
        json.dumps([*WEIGHTS[:-1], float("inf")]),
        json.dumps([True] * len(WEIGHTS)),
        json.dumps([*WEIGHTS[:-1], None]),
        "[" * 100_000,
    ],
)
def test_weights_the_tutor_never_writes_are_a_one_line_error(stored: str) -> None:
    with pytest.raises(UnreadableValue, match="fitted parameters in the database") as raised:
        fitted_parameters(stored)
    assert "\n" not in str(raised.value)


def test_the_desk_says_so_when_the_kept_fit_was_rewritten(open_desk: DeskFactory) -> None:
    desk = open_desk()
    with desk.session() as session:
        session.add(
            SchedulerFitRow(
                learner=desk.place.learner,
                fitted_at=datetime(2026, 3, 1, tzinfo=UTC),
                reviews=1000,
                heldout=200,
                default_loss=0.5,
                fitted_loss=0.4,
                kept=True,
                parameters="[1, 2, 3]",
            )
        )
        session.commit()
    with pytest.raises(UnreadableValue):
        open_desk().figures.parameters()
