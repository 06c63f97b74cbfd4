"""The whole-proof sitting's machine with an injected clock: its steps in order under one
timer, the rating of its worst step, undo and Easy, and resuming from a snapshot."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tutor.study.clock import ManualClock
from tutor.study.proof import (
    ProofSession,
    ProofSnapshot,
    is_proof_card,
    proof_card_id,
    proof_of,
)
from tutor.study.schedule import Rating
from tutor.study.session import CardFacts, Locked, NotAllowed, Phase

START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
STEPS = [
    CardFacts("p-1", checkable=True, hints=2, key_ideas=0, timer=0, hint_gap=60),
    CardFacts("p-2", checkable=False, hints=1, key_ideas=2, timer=0, hint_gap=60),
    CardFacts("p-3", checkable=True, hints=3, key_ideas=0, timer=0, hint_gap=60),
]


def whole(snapshot: ProofSnapshot | None = None, clock: ManualClock | None = None):
    clock = clock or ManualClock(START)
    return clock, ProofSession("proof:p", STEPS, 600, clock, snapshot)


def test_the_ids_of_whole_proofs_cannot_be_card_ids() -> None:
    assert proof_card_id("softmax-shift") == "proof:softmax-shift"
    assert is_proof_card("proof:softmax-shift") and not is_proof_card("softmax-shift-1")
    assert proof_of("proof:softmax-shift") == "softmax-shift"
    with pytest.raises(ValueError):
        proof_of("softmax-shift")


def test_the_steps_come_in_order_under_one_timer() -> None:
    clock, proof = whole()
    assert proof.index == 0 and proof.session.facts.card_id == "p-1"
    assert proof.session.remaining() == 600
    clock.advance(250)
    proof.session.submit("2x", "correct")
    assert proof.phase is Phase.STEP_DONE
    clock.advance(3600)  # between steps: no step is open, no time counts
    proof.next_step()
    assert proof.index == 1 and proof.session.facts.card_id == "p-2"
    assert proof.session.remaining() == 350  # what the sitting's timer has left
    with pytest.raises(Locked, match="hints unlock in 05:50"):
        proof.session.take_hint()
    clock.advance(350)
    assert proof.session.take_hint() == 0  # the timer ran out for the whole sitting
    assert proof.remaining() == 0


def test_a_step_must_be_done_before_the_next_and_only_the_last_ends_the_proof() -> None:
    _, proof = whole()
    with pytest.raises(NotAllowed, match="not done"):
        proof.next_step()
    proof.session.submit("2x", "correct")
    with pytest.raises(NotAllowed, match="not done yet"):
        proof.outcome()  # a step is done, not the proof
    proof.next_step()
    proof.session.submit("in my words", "")  # a self-assessed step waits for its comparison
    assert proof.phase is Phase.THINKING


def finish_all(clock: ManualClock, proof: ProofSession, *, reveal: int | None = None) -> None:
    """Reconstruct every step (the self-assessed one with all its ideas), or reveal one."""
    for n in range(len(STEPS)):
        session = proof.session
        if n == reveal:
            clock.advance(session.remaining())
            session.reveal()
        elif session.facts.checkable:
            session.submit("right", "correct")
        else:
            session.submit("in my words", "")
            clock.advance(session.remaining())
            session.compare()
            session.assess({0, 1})
        if proof.phase is Phase.STEP_DONE:
            proof.next_step()
    assert proof.phase is Phase.DONE


def test_all_steps_rebuilt_without_help_is_good_and_may_become_easy() -> None:
    clock, proof = whole()
    finish_all(clock, proof)
    outcome = proof.outcome()
    assert outcome.rating is Rating.GOOD and outcome.success
    assert outcome.attempts == 3 and (outcome.ideas_recalled, outcome.ideas_total) == (2, 2)
    proof.upgrade_to_easy()
    assert proof.outcome().rating is Rating.EASY
    assert proof.snapshot().easy


def test_the_rating_is_the_worst_step_hints_and_guesses_included() -> None:
    clock, proof = whole()
    clock.advance(600)
    proof.session.take_hint()  # step 1: a hint, so at most Hard
    proof.session.submit("right", "correct")
    proof.next_step()
    proof.session.submit("in my words", "")
    proof.session.compare()
    proof.session.assess({0, 1})
    proof.next_step()
    proof.session.submit("right", "correct")
    outcome = proof.outcome()
    assert outcome.rating is Rating.HARD and outcome.success and outcome.hints_used == 1
    with pytest.raises(NotAllowed, match="rated Good"):
        proof.upgrade_to_easy()


def test_a_failed_step_fails_the_proof_and_the_sitting_goes_on() -> None:
    clock, proof = whole()
    finish_all(clock, proof, reveal=1)
    outcome = proof.outcome()
    assert outcome.rating is Rating.AGAIN and not outcome.success and outcome.revealed
    assert [o.success for o in proof.step_outcomes()] == [True, False, True]


def test_a_step_is_undone_until_the_next_one_begins() -> None:
    clock, proof = whole()
    proof.session.submit("right", "correct")
    proof.next_step()
    clock.advance(proof.session.remaining())
    proof.session.reveal()
    assert proof.can_undo
    proof.undo()
    assert proof.phase is Phase.THINKING and proof.index == 1
    proof.session.reveal()
    proof.next_step()
    assert not proof.can_undo  # the next step has begun: the reveal stands


def test_a_snapshot_resumes_the_step_under_study_with_its_time() -> None:
    clock, proof = whole()
    clock.advance(100)
    proof.session.submit("right", "correct")
    proof.next_step()
    clock.advance(40)
    proof.session.submit("half", "")
    saved = ProofSnapshot.from_json(proof.snapshot().to_json())
    assert saved.active_seconds == 140 and saved.hints_shown == 0
    _, again = whole(saved, ManualClock(START, monotonic=5.0))
    assert again.index == 1 and again.phase is Phase.THINKING
    assert again.session.remaining() == 460 and len(again.session.attempts) == 1
    assert [s.phase for s in again.sessions] == [Phase.DONE, Phase.THINKING]


def test_a_snapshot_of_another_version_of_the_proof_is_refused() -> None:
    _, proof = whole()
    proof.session.submit("right", "correct")
    saved = proof.snapshot()
    saved.steps[0].card_id = "p-0"  # a step inserted before it since
    with pytest.raises(ValueError, match="another version"):
        whole(saved)
    with pytest.raises(ValueError, match="another proof"):
        ProofSession("proof:q", STEPS, 600, ManualClock(START), proof.snapshot())
