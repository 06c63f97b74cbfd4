"""The whole-proof card through the desk, a real database and the plain front end: offered once
every step is reconstructed, rebuilt step by step from the statement alone, rated by its worst
step, resumed in the middle after quitting or a crash, counted in the stats."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tutor.config import Settings
from tutor.deck.files import deck_fingerprint
from tutor.plain import PlainSession
from tutor.store import queries as q
from tutor.store.quick import quick_stats
from tutor.study.clock import ManualClock
from tutor.study.schedule import Rating
from tutor.study.session import Phase
from tutor.today import Desk, NotSaved, Sitting

from .conftest import DeskFactory, desk_for

PROOF = """\
---
id: twice
title: Twice a number
kind: proof
timer: 10m
review_timer: 4m
hint_gap: 1m
---

# Twice a number

**Theorem.** $x + x = 2x$ for every number $x$.

## Count the copies
id: twice-1

Write $x + x$ as a product.

### Answer
$2x$

```check
expect: 2*x
real: x
```

### Hints
1. Count the copies of $x$.
2. There are two of them.

## Say why
id: twice-2

Say why adding a number to itself doubles it.

### Answer
Multiplying by two counts two copies.

### Key ideas
- multiplication counts copies
- there are two copies

## Conclude
id: twice-3

Write $x + x + x$ as a product, the same way.

### Answer
$3x$

```check
expect: 3*x
real: x
```

### Hints
1. Count again.
"""

WHOLE = "proof:twice"
STEPS = ["twice-1", "twice-2", "twice-3"]


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "proofs"
    folder.mkdir()
    (folder / "twice.md").write_text(PROOF, encoding="utf-8")
    return folder


def work_step(sitting: Sitting, clock: ManualClock, *, reveal: bool = False) -> None:
    """Reconstruct the step (or card) under study, or reveal its answer after the timer."""
    if reveal:
        clock.advance(sitting.session.remaining())
        sitting.reveal()
    elif sitting.card.checkable:
        sitting.submit({"twice-1": "2x", "twice-3": "3x"}[sitting.card.id])
    else:
        sitting.submit("copies, two of them")
        clock.advance(sitting.session.remaining())
        sitting.compare()
        sitting.assess({0, 1})


def whole_proof_tomorrow(open_desk: DeskFactory, clock: ManualClock) -> tuple[Desk, Sitting]:
    """Learn the steps today; the next day, the whole proof is the day's first card."""
    learn_the_steps(open_desk(), clock)
    clock.advance(86_400)
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.proof is not None
    return desk, sitting


def learn_the_steps(desk: Desk, clock: ManualClock) -> None:
    """Reconstruct the three steps on one day (the day's new card, then one more each)."""
    for n, step in enumerate(STEPS):
        sitting = desk.next_sitting(one_more=n > 0)
        assert sitting is not None and sitting.card_id == step and sitting.proof is None
        work_step(sitting, clock)
        sitting.finish()


def test_the_whole_proof_is_a_card_offered_once_every_step_is_reconstructed(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    with desk.session() as session:
        row = q.card(session=session, card_id=WHOLE)
    assert row is not None and row.requires == ",".join(STEPS) and row.position == 3
    first = desk.next_sitting()
    assert first is not None and first.card_id == "twice-1"
    work_step(first, clock, reveal=True)  # not reconstructed: the proof cannot come yet
    first.finish()
    clock.advance(86_400)
    desk = open_desk()
    again = desk.next_sitting()
    assert again is not None and again.card_id == "twice-1" and again.is_review
    work_step(again, clock)
    again.finish()
    for step in STEPS[1:]:
        sitting = desk.next_sitting(one_more=True)
        assert sitting is not None and sitting.card_id == step
        work_step(sitting, clock)
        sitting.finish()
    # its last step was learned today: the whole proof waits for a day none of its steps is
    # studied on, and then comes apart from the day's new card
    assert desk.plan() == [] and desk.one_more_card() is None
    clock.advance(86_400)
    desk = open_desk()
    assert desk.plan() == [WHOLE]
    assert desk.stats().to_json()["proofs"] == {"total": 1, "rebuilt": 0, "due_today": 0}


def test_rebuilt_from_the_statement_alone_step_by_step(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk, sitting = whole_proof_tomorrow(open_desk, clock)
    assert sitting is not None and sitting.proof is not None
    assert (sitting.card_id, sitting.kind, sitting.card.id) == (WHOLE, "proof", "twice-1")
    assert not sitting.is_review and sitting.timer == 600  # the proof's timer, once
    assert sitting.established == []  # no step's answer is shown
    sitting.submit("x^2")  # incorrect, then right
    sitting.submit("2x")
    assert sitting.phase is Phase.STEP_DONE
    sitting.next_step()
    assert sitting.card.id == "twice-2" and [s.answer for s in sitting.rebuilt] == ["2x"]
    work_step(sitting, clock)
    sitting.next_step()
    work_step(sitting, clock)
    assert sitting.phase is Phase.DONE
    finished = sitting.finish()
    assert finished.card_id == WHOLE and finished.whole
    assert finished.outcome.rating is Rating.GOOD and finished.outcome.success
    with desk.session() as session:
        (review,) = q.reviews_for(session=session, card_id=WHOLE)
        attempts = q.attempts_for_review(session=session, review_id=review.id or 0)
        assert q.memory_state(session=session, card_id="twice-1").run == 1  # type: ignore[union-attr]
    assert review.attempts == 4 and json.loads(review.verdicts)[:2] == ["incorrect", "correct"]
    assert review.final_answer.splitlines() == ["1. 2x", "2. copies, two of them", "3. 3x"]
    assert [(a.card_id, a.step) for a in attempts] == [
        (WHOLE, "twice-1"),
        (WHOLE, "twice-1"),
        (WHOLE, "twice-2"),
        (WHOLE, "twice-3"),
    ]
    assert desk.streak().current == 2  # the steps, then the whole proof
    figures = desk.stats()
    assert (figures.proofs_total, figures.proofs_rebuilt) == (1, 1)
    assert figures.cards_total == 3  # the cards of the decks: the whole proof counts apart


def test_a_failed_step_and_hints_rate_the_proof_by_its_worst_step(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk, sitting = whole_proof_tomorrow(open_desk, clock)
    assert sitting is not None and sitting.proof is not None
    clock.advance(600)  # one timer: once it has run out, every step's hints are open
    assert sitting.take_hint() == "Count the copies of $x$."
    sitting.submit("2x")
    sitting.next_step()
    assert sitting.session.remaining() == 0
    work_step(sitting, clock, reveal=True)  # the second step is not rebuilt
    assert sitting.phase is Phase.STEP_DONE and sitting.can_undo
    sitting.next_step()  # the sitting goes on to the last step
    assert sitting.take_hint() == "Count again."
    sitting.submit("3x")
    outcome = sitting.outcome()
    assert outcome.rating is Rating.AGAIN and not outcome.success
    assert [s.outcome.rating for s in sitting.rebuilt] == [Rating.HARD, Rating.AGAIN, Rating.HARD]
    finished = sitting.finish()
    assert finished.run == 0 and not finished.outcome.success
    assert desk.stats().proofs_rebuilt == 0
    sitting.undo()  # the last step's rating, taken back: the proof is open again
    assert sitting.phase is Phase.THINKING and sitting.card.id == "twice-3"
    with desk.session() as session:
        assert q.reviews_for(session=session, card_id=WHOLE) == []
        assert q.load_progress(session=session).card_id == WHOLE  # type: ignore[union-attr]


def test_resumed_in_the_middle_after_quitting_or_a_crash(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk, sitting = whole_proof_tomorrow(open_desk, clock)
    assert sitting is not None
    clock.advance(100)
    sitting.submit("2x")
    sitting.next_step()
    clock.advance(50)
    sitting.keep_draft("copies")
    sitting.save()  # quitting saves
    desk.close()

    clock.advance(3600)
    desk = open_desk()
    resumed = desk.next_sitting()
    assert resumed is not None and resumed.resumed and resumed.proof is not None
    assert resumed.card.id == "twice-2" and resumed.session.draft == "copies"
    assert resumed.session.remaining() == 450 and resumed.proof.active_seconds() == 150
    assert [s.answer for s in resumed.rebuilt] == ["2x"]
    resumed.submit("copies, two of them")  # an attempt saves at once: then a crash
    desk.close()

    desk = open_desk()
    quick = desk.quick_sitting()  # the fast start reads it the same way
    assert quick is not None and quick.card.id == "twice-2" and len(quick.session.attempts) == 1
    clock.advance(quick.session.remaining())
    quick.compare()
    quick.assess({0})  # one idea of two: not rebuilt
    assert quick.phase is Phase.STEP_DONE
    desk.close()  # between steps

    desk = open_desk()
    last = desk.next_sitting()
    assert last is not None and last.phase is Phase.STEP_DONE and not last.can_undo
    last.next_step()
    last.submit("3x")
    finished = last.finish()
    outcome = finished.outcome  # half the ideas of a step: Hard, and not rebuilt whole
    assert outcome.rating is Rating.HARD and not outcome.success
    assert finished.outcome.active_seconds == pytest.approx(100 + 50 + 450)


def test_an_edited_proof_resumes_at_its_first_step_with_the_time_spent(
    open_desk: DeskFactory, clock: ManualClock, deck_dir: Path
) -> None:
    desk, sitting = whole_proof_tomorrow(open_desk, clock)
    assert sitting is not None
    clock.advance(120)
    sitting.submit("2x")
    sitting.next_step()
    desk.close()
    edited = PROOF.replace("## Say why\nid: twice-2", "## Say why\nid: twice-two")
    (deck_dir / "twice.md").write_text(edited, encoding="utf-8")
    desk = open_desk()
    # a card begun is finished; its saved steps are not this proof's any more
    resumed = desk.next_sitting()
    assert resumed is not None and resumed.card_id == WHOLE and resumed.resumed
    assert resumed.card.id == "twice-1" and resumed.rebuilt == []
    assert resumed.session.remaining() == 480  # the timer is not reset


def run_plain(desk: Desk, lines: list[str]) -> str:
    out = io.StringIO()
    PlainSession(desk, io.StringIO("".join(f"{line}\n" for line in lines)), out).run()
    return out.getvalue()


def test_plain_mode_announces_the_proof_and_each_step_for_scripts(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    learn_the_steps(desk, clock)
    clock.advance(86_400)
    out = run_plain(open_desk(), ["2x", "", ":quit"])
    under_title = out.split("Twice a number › the whole proof\n")[1].splitlines()[0]
    assert under_title == "proof, new card; id proof:twice; 3 steps"
    assert "Theorem:\n  Theorem. x + x = 2x for every number x." in out
    assert "Step 1 of 3: Count the copies; id twice-1\n" in out
    assert "Established so far" not in out and "Answer:" not in out
    assert "(:undo takes this back; any other line goes on to step 2 of 3)" in out
    assert "Step 2 of 3: Say why; id twice-2\n" in out
    assert "saved; proof:twice resumes next time at step 2 of 3 with 10:00 left" in out

    out = run_plain(
        open_desk(),
        [":time", ":wait 10m", ":hint", "my words", ":compare", ":ideas 1", ":undo", ":quit"],
    )
    assert "Resumed at step 2 of 3: 00:00 spent so far." in out
    assert "Your steps so far:\n  1. Count the copies\n     2x" in out
    assert "hints unlock in 10:00" in out
    assert "there are no more hints" in out  # this step has none
    assert "Key ideas:\n  1. multiplication counts copies" in out
    assert "Undone: the step is open again, as it was before." in out

    out = run_plain(open_desk(), [":compare", ":ideas none", "", ":reveal", "", "3x", ""])
    assert "Answer:\n  Multiplying by two counts two copies." in out
    assert "Step 3 of 3: Conclude; id twice-3" in out
    assert "The proof, step by step:" in out
    assert "not rebuilt whole yet; rated Again" in out
    assert "Steps not rebuilt: 2 (twice-2)" in out


def test_the_quick_figures_count_whole_proofs_as_the_store_does(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk, sitting = whole_proof_tomorrow(open_desk, clock)
    assert sitting is not None
    for _ in STEPS:
        work_step(sitting, clock)
        if sitting.phase is Phase.STEP_DONE:
            sitting.next_step()
    sitting.finish()
    clock.advance(3 * 86_400)
    desk = open_desk()
    full = desk.stats()
    assert (full.proofs_total, full.proofs_rebuilt, full.proofs_due_today) == (1, 1, 1)
    today = desk.today()
    quick = quick_stats(
        desk.settings.db_url,
        fingerprint=deck_fingerprint(desk.deck_files()),
        learner=desk.learner,
        today=today,
        end_of_today=desk.day_bounds(today)[1],
    )
    assert quick is not None and quick.to_json(desk.zone) == full.to_json(desk.zone)


def test_a_database_of_the_release_before_gets_its_whole_proofs(
    settings: Settings, deck_dir: Path, clock: ManualClock
) -> None:
    """A learner of the release before whole proofs (revision 0004) who has reconstructed every
    step: after the upgrade, the next start syncs the decks and the whole proof is waiting,
    and the steps' progress is the learner's."""
    from sqlalchemy import create_engine, text

    from tutor.store.engine import parse_url, sqlite_path, upgrade

    path = sqlite_path(parse_url(settings.db_url))
    assert path is not None
    path.parent.mkdir(parents=True)
    engine = create_engine(settings.db_url)
    upgrade(engine, "0004")
    proof_file = str((deck_dir / "twice.md").resolve())
    yesterday = "2026-03-01 09:00:00.000000"
    with engine.begin() as conn:  # the database as that release left it
        for n, step in enumerate(STEPS):
            conn.execute(
                text(
                    "INSERT INTO card (id, deck_id, path, position, content_hash, retired, "
                    "added_at, requires) VALUES (:id, 'twice', :path, :n, 'old', 0, :at, :r)"
                ),
                {"id": step, "path": proof_file, "n": n, "at": yesterday, "r": ""},
            )
            conn.execute(
                text(
                    "INSERT INTO memory (card_id, state, stability, difficulty, due, "
                    "last_review, reconstructed, run, last_day) "
                    "VALUES (:id, 2, 30.0, 5.0, '2026-04-01 09:00:00.000000', :at, 1, 1, "
                    "'2026-03-01')"
                ),
                {"id": step, "at": yesterday},
            )
    engine.dispose()
    desk = desk_for(settings, clock)
    try:
        desk.sync()
        with desk.session() as session:
            assert q.card(session=session, card_id=WHOLE) is not None
            assert q.memory_state(session=session, card_id=STEPS[0]) is not None
        sitting = desk.next_sitting()
        assert sitting is not None and sitting.card_id == WHOLE
        sitting.submit("2x")
        with desk.session() as session:
            pending = q.pending_attempts(session=session, card_id=WHOLE)
            assert [a.step for a in pending] == ["twice-1"]
    finally:
        desk.close()


def test_a_move_to_the_next_step_the_database_refused_is_undone_and_said(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    from .test_failed_write import refused

    desk, sitting = whole_proof_tomorrow(open_desk, clock)
    work_step(sitting, clock)
    assert sitting.phase is Phase.STEP_DONE
    with refused(desk), pytest.raises(NotSaved) as failed:
        sitting.next_step()
    assert "the database keeps 1 answer, 0 hints; lost: the move to the next step" in str(
        failed.value
    )
    assert sitting.card.id == "twice-1" and sitting.phase is Phase.STEP_DONE
    sitting.next_step()
    assert sitting.card.id == "twice-2" and sitting.proof is not None
    assert sitting.proof.index == 1
