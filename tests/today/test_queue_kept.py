"""The desk keeps today's queue (and the days its streak is made of) and updates it with its own
writes instead of reading it again after every answer: whatever the learner does, the next card
it chooses is the one a new desk, reading the database, would choose."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tutor.study.clock import ManualClock

from .conftest import DeskFactory
from .learners_week import DECK


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "doubles.md").write_text(DECK, encoding="utf-8")
    return folder


def test_the_kept_queue_chooses_as_the_database_would(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    rng = random.Random(3)
    compared = 0
    for _day in range(16):
        desk = open_desk()
        for _card in range(8):
            sitting = desk.next_sitting(one_more=rng.random() < 0.5)
            if sitting is None:
                break
            clock.advance(rng.randint(30, 900))
            how = rng.random()
            if how < 0.2:
                clock.advance(sitting.session.remaining())
                sitting.reveal()
            else:
                if how < 0.5:
                    sitting.submit("3x")  # wrong first
                sitting.submit("2x")
            sitting.finish()
            if rng.random() < 0.15:
                sitting.undo()  # taken back: the queue is read again
                sitting.submit("2x")
                sitting.finish()
            fresh = open_desk()
            assert desk.plan() == fresh.plan()
            assert desk.one_more_card() == fresh.one_more_card()
            assert desk.next_card_at() == fresh.next_card_at()
            assert desk.streak() == fresh.streak()  # kept too, with the study days
            compared += 1
        clock.advance(86_400 + rng.randint(-3_600, 3_600))
    assert compared >= 30  # the comparison ran on enough answers to mean something


def test_the_next_card_after_an_answer_reads_no_queue(
    open_desk: DeskFactory, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutor.store import queries as q

    desk = open_desk()
    first = desk.next_sitting()
    assert first is not None
    first.submit("2x")
    first.finish()
    reads: list[object] = []
    real = q.queue_data

    def counted(**kwargs: object) -> object:
        reads.append(kwargs)
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(q, "queue_data", counted)
    desk.next_sitting(one_more=True)
    assert reads == []
