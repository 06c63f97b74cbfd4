"""The desk keeps today's queue (and the days its streak is made of) and updates it with its own
writes instead of reading it again after every answer: whatever the learner does, the next card
it chooses is the one a new desk, reading the database, would choose."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tutor.study.clock import ManualClock
from tutor.today import Desk

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
            lazy = open_desk()  # its new cards read only once the reviews are used up
            assert list(lazy.queue.cards()) == fresh.plan()
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
    monkeypatch.setattr(q, "queue_part", counted)
    desk.next_sitting(one_more=True)
    assert reads == []


def learn_over_ten_days(open_desk: DeskFactory, clock: ManualClock, rng: random.Random) -> None:
    """The twelve cards learned and reviewed over ten days at different hours, some revealed."""
    for _day in range(10):
        desk = open_desk(new_per_day=4, reviews_per_day=6)
        while (sitting := desk.next_sitting()) is not None:
            clock.advance(sitting.session.remaining())
            if rng.random() < 0.3:
                sitting.reveal()
            else:
                sitting.submit("2x")
            sitting.finish()
            clock.advance(rng.randint(600, 7_200))
        clock.advance(86_400 + rng.randint(-20_000, 20_000))


def test_the_kept_due_order_follows_the_clock(open_desk: DeskFactory, clock: ManualClock) -> None:
    """Twelve cards learned and reviewed over ten days at different hours, some revealed: then,
    as the clock moves through two days in small steps without an answer, the order the desk
    keeps for the due reviews is the one a new desk computes (it changes as each card gains a
    day since its last review)."""
    rng = random.Random(5)
    learn_over_ten_days(open_desk, clock, rng)
    kept = open_desk(new_per_day=0, reviews_per_day=12)
    plans = set()
    for _ in range(60):
        plan = kept.plan()
        assert plan == open_desk(new_per_day=0, reviews_per_day=12).plan()
        plans.add(tuple(plan))
        clock.advance(rng.randint(900, 4_500))
    assert len(plans) > 3  # the order did change while it was kept


def test_a_day_with_reviews_due_shows_its_first_card_without_the_new_cards(
    open_desk: DeskFactory, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new cards (thousands of rows at 10,000 cards) are read only when the cards before
    them are used up: a review due comes first, and is shown without them, on the store's path
    and on the quick start's; with no review due, they are read and the new card is shown."""
    from tutor.store.reads import Reads

    desk = open_desk(new_per_day=3)
    for _ in range(3):
        sitting = desk.next_sitting()
        assert sitting is not None
        sitting.submit("2x")
        sitting.finish()
    clock.advance(20 * 86_400)  # the three are due; nine cards are new
    read: list[str] = []
    real = Reads.new_cards

    def counted(self: Reads, *args: object, **kwargs: object) -> object:
        read.append("new")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Reads, "new_cards", counted)
    expected = open_desk().plan()
    assert len(expected) == 4 and read == ["new"]  # three reviews, then a new card
    read.clear()
    for way in ("store", "quick"):
        fresh = open_desk()
        sitting = fresh.next_sitting() if way == "store" else fresh.quick_sitting()
        assert sitting is not None and sitting.card_id == expected[0], way
        assert read == [], way
    for n in range(3):  # the reviews answered: the new card is read, then, and comes next
        desk = open_desk()
        sitting = desk.next_sitting()
        assert sitting is not None and sitting.card_id == expected[n]
        sitting.submit("2x")
        sitting.finish()
    assert read == []
    after = open_desk().next_sitting()
    assert after is not None and after.card_id == expected[3] and read == ["new"]


def test_the_first_reviews_read_in_their_order_choose_as_all_of_them_would(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    """SQLite reads only the first reviews due, in their order, as many as the day's plan can
    take (`QueueData.first_due`): as the clock moves and the learner answers (some wrongly,
    due again today), some undone, the desk that read them chooses what a desk reading every
    review due and ordering them in Python chooses, the plan, the card beyond it and when the
    next one comes."""
    rng = random.Random(7)
    learn_over_ten_days(open_desk, clock, rng)

    def every(reviews: int, new: int = 0) -> Desk:
        """A desk that reads every review due and orders them in Python."""
        desk = open_desk(new_per_day=new, reviews_per_day=reviews)
        desk.queue.first_limit = lambda: None  # type: ignore[method-assign]
        return desk

    kept = open_desk(new_per_day=0, reviews_per_day=3)
    plans = set()
    for _ in range(60):  # no answer: the order changes as cards gain a day
        plan = kept.plan()
        assert plan == every(3).plan()
        plans.add(tuple(plan))
        clock.advance(rng.randint(900, 4_500))
    assert len(plans) > 3
    clock.advance(30 * 86_400)  # most of the twelve are due
    partial = 0
    for reviews in (2, 3):
        desk = open_desk(new_per_day=1, reviews_per_day=reviews)
        for _ in range(12):
            oracle = every(reviews, new=1)
            assert desk.plan() == oracle.plan()
            assert desk.one_more_card() == oracle.one_more_card()
            assert desk.next_card_at() == oracle.next_card_at()
            kept = desk.queue._data
            partial += kept is not None and kept[1].first_due is not None
            sitting = desk.next_sitting(one_more=rng.random() < 0.5)
            if sitting is not None:
                clock.advance(rng.randint(30, 900))
                if rng.random() < 0.3:  # forgotten: due again today
                    clock.advance(sitting.session.remaining())
                    sitting.reveal()
                else:
                    sitting.submit("2x")
                sitting.finish()
                if rng.random() < 0.2:
                    sitting.undo()
            clock.advance(rng.randint(600, 5_400))
    assert partial >= 10  # most choices were made from the first reviews alone
