"""The orchestration that both front ends drive: pick, sit, save, resume, sync."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tutor.config import Settings
from tutor.store.queries import learner_session, memory_states, pending_attempts, reviews_for
from tutor.study.clock import ManualClock
from tutor.study.learner import default_learner
from tutor.study.schedule import Rating
from tutor.study.session import Locked, Phase
from tutor.today import Desk

from .conftest import DeskFactory


def test_the_first_day_offers_the_first_card_and_then_nothing(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.card.id == "double" and not sitting.is_review
    assert sitting.session.facts.timer == 600  # the deck's timer for a new card
    verdict = sitting.submit("x*2")
    assert verdict is not None and verdict.verdict == "correct"
    finished = sitting.finish()
    assert finished.outcome.rating is Rating.GOOD
    assert finished.due - clock.now() == timedelta(days=2)  # FSRS: a new Good comes back in 2
    assert (finished.streak.current, finished.run) == (1, 1)
    assert desk.next_sitting() is None  # one card a day
    # and tomorrow a new card (square needs double, reconstructed: it is next in deck order)
    assert desk.next_card_at() == desk.day_bounds()[1]


def test_a_new_card_waits_for_its_prerequisites(open_desk: DeskFactory, clock: ManualClock) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    sitting.submit("x")  # incorrect
    clock.advance(600)
    sitting.reveal()
    assert sitting.finish().outcome.rating is Rating.AGAIN
    clock.advance(86_400)
    again = open_desk().next_sitting()
    # square and triple need double reconstructed: the lapsed card comes back instead
    assert again is not None and again.card.id == "double" and again.is_review
    assert again.session.facts.timer == 120  # the review timer
    again.submit("2x")
    again.finish()
    clock.advance(86_400)
    then = open_desk().next_sitting()
    assert then is not None and then.card.id == "square"


def test_the_timer_resumes_after_quitting_and_a_clock_jump_unlocks_nothing(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    sitting = open_desk().next_sitting()
    assert sitting is not None
    clock.advance(420)
    sitting.add_note("why a product?")
    sitting.save()  # quit
    clock.advance(3 * 3600)  # away for three hours: not active time
    clock.jump_wall_clock(5 * 86_400)  # and the system clock moved on
    clock.jump_wall_clock(-5 * 86_400)
    resumed = open_desk().next_sitting()
    assert resumed is not None and resumed.resumed and resumed.card.id == "double"
    assert resumed.session.remaining() == pytest.approx(180)
    with pytest.raises(Locked, match="hints unlock in 03:00"):
        resumed.take_hint()
    clock.advance(180)
    assert "Count" in resumed.take_hint()
    assert resumed.session.notes == ["why a product?"]


def test_a_note_is_shown_when_the_card_comes_back(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    sitting = open_desk().next_sitting()
    assert sitting is not None and sitting.last_note is None
    sitting.add_note("is 2x the same as x2?")
    sitting.submit("2*x")
    sitting.finish()
    clock.advance(2 * 86_400)
    back = open_desk().next_sitting()
    assert back is not None and back.card.id == "double"
    assert back.last_note == "is 2x the same as x2?"


def test_a_self_assessed_card_is_rated_from_the_key_ideas(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    first = open_desk().next_sitting()
    assert first is not None
    first.submit("2x")
    first.finish()
    clock.advance(86_400)
    sitting = open_desk().next_sitting()
    assert sitting is not None and sitting.card.id == "square"
    assert sitting.submit("x times x") is None
    assert sitting.phase is Phase.THINKING  # the answer waits for the timer
    with pytest.raises(Locked):
        sitting.compare()
    clock.advance(sitting.session.remaining())
    sitting.compare()
    assert sitting.phase is Phase.ASSESSING
    sitting.assess({0})  # one idea of two: Hard, not a success
    finished = sitting.finish()
    assert (finished.outcome.rating, finished.outcome.success, finished.run) == (
        Rating.HARD,
        False,
        0,
    )


def test_every_attempt_is_kept_with_its_review(open_desk: DeskFactory, clock: ManualClock) -> None:
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    for answer in ("x", "x^2", "2x"):
        sitting.submit(answer)
        clock.advance(30)
    sitting.finish()
    with learner_session(desk.engine, default_learner()) as session:
        (review,) = reviews_for(session=session, card_id="double")
        assert review.attempts == 3 and review.final_answer == "2x"
        assert review.verdicts == '["incorrect", "incorrect", "correct"]'
        assert pending_attempts(session=session, card_id="double") == []
        from tutor.store.queries import attempts_for_review

        assert review.id is not None
        answers = [a.answer for a in attempts_for_review(session=session, review_id=review.id)]
        assert answers == ["x", "x^2", "2x"]


def test_a_card_removed_while_under_study_is_let_go_with_its_attempts(
    open_desk: DeskFactory, clock: ManualClock, deck_dir: Path
) -> None:
    sitting = open_desk().next_sitting()
    assert sitting is not None
    sitting.submit("x")
    sitting.save()  # quit mid-card
    text = (deck_dir / "mini.md").read_text(encoding="utf-8")
    start = text.index("## Double")
    end = text.index("## Square")
    (deck_dir / "mini.md").write_text(
        text[:start] + text[end:].replace("requires: double\n", ""), encoding="utf-8"
    )
    desk = open_desk()
    nxt = desk.next_sitting()
    assert any("double" in n and "no longer in the decks" in n for n in desk.notices)
    assert nxt is not None and nxt.card.id == "square" and not nxt.resumed
    with learner_session(desk.engine, default_learner()) as session:
        assert [a.answer for a in pending_attempts(session=session, card_id="double")] == ["x"]


def test_an_edited_card_keeps_its_progress(
    open_desk: DeskFactory, clock: ManualClock, deck_dir: Path
) -> None:
    from tutor.store.queries import card

    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None
    sitting.submit("2x")
    sitting.finish()
    with learner_session(desk.engine, default_learner()) as session:
        before = card(session=session, card_id="double")
    path = deck_dir / "mini.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("as a product?", "as a product of two factors?"),
        encoding="utf-8",
    )
    edited = open_desk()  # syncs on opening
    with learner_session(edited.engine, default_learner()) as session:
        after = card(session=session, card_id="double")
        assert before is not None and after is not None
        assert after.content_hash != before.content_hash and not after.retired
        assert set(memory_states(session=session)) == {"double"}
        assert len(reviews_for(session=session, card_id="double")) == 1


def test_an_unchanged_deck_set_is_not_read_again(open_desk: DeskFactory) -> None:
    desk = open_desk()  # synced once on opening
    again = open_desk()
    assert again.sync().skipped
    assert not again.shelf.read
    assert again.next_sitting() is not None
    assert not again.shelf.read
    assert desk.plan() == ["double"]


def test_a_file_with_errors_retires_none_of_its_cards(
    open_desk: DeskFactory, deck_dir: Path
) -> None:
    open_desk()
    path = deck_dir / "mini.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Mini deck\n", ""), "utf-8")
    desk = open_desk()
    report = desk.sync(force=True)
    assert report.retired == ()
    assert any("problem" in n for n in desk.notices)
    assert desk.plan() == ["double"]


def test_the_checker_pool_is_made_once_whatever_threads_ask_for_it(
    settings: Settings, clock: ManualClock
) -> None:
    import threading
    import time as _time

    made: list[object] = []
    started = threading.Barrier(4)

    def slow_checker() -> object:
        made.append(object())
        _time.sleep(0.05)  # a pool takes a while to start: the other threads ask meanwhile
        return made[-1]

    desk = Desk(settings, clock=clock, checker=slow_checker)  # type: ignore[arg-type]
    got: list[object] = []

    def ask() -> None:
        started.wait()
        got.append(desk.checker())

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and got == made * 4
