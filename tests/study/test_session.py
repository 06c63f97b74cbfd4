"""The session state machine with an injected clock: nothing here sleeps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.study.clock import ManualClock
from tutor.study.schedule import Rating
from tutor.study.session import (
    CardFacts,
    CardSession,
    Locked,
    NotAllowed,
    Phase,
    Snapshot,
    format_countdown,
    format_elapsed,
    resolve_timer,
)

START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
CHECKED = CardFacts("sums", checkable=True, hints=3, key_ideas=0, timer=20 * 60, hint_gap=120)
ASSESSED = CardFacts("sigma", checkable=False, hints=2, key_ideas=3, timer=600, hint_gap=60)


def sitting(facts: CardFacts = CHECKED, snapshot: Snapshot | None = None):
    clock = ManualClock(START)
    return clock, CardSession(facts, clock, snapshot)


def test_timer_locks_hints_and_answer_until_it_runs_out() -> None:
    clock, s = sitting()
    assert s.locked and s.remaining() == 1200
    with pytest.raises(Locked) as info:
        s.take_hint()
    assert str(info.value) == "hints unlock in 20:00"
    clock.advance(19 * 60 + 59.2)
    with pytest.raises(Locked) as info:
        s.reveal()
    assert str(info.value) == "the answer unlocks in 00:01"
    clock.advance(0.8)
    assert not s.locked and s.take_hint() == 0


def test_hints_come_one_at_a_time_at_least_the_gap_apart() -> None:
    clock, s = sitting()
    clock.advance(1200)
    assert s.take_hint() == 0
    assert s.next_hint_in() == 120
    clock.advance(119)
    with pytest.raises(Locked, match="hints unlock in 00:01"):
        s.take_hint()
    clock.advance(1)
    assert s.take_hint() == 1
    clock.advance(120)
    assert s.take_hint() == 2
    assert s.next_hint_in() == float("inf")
    with pytest.raises(NotAllowed, match="no more hints"):
        s.take_hint()


def test_submitting_is_allowed_while_locked_and_correct_without_hints_is_good() -> None:
    clock, s = sitting()
    clock.advance(300)
    assert s.submit("n(n-1)/2", "incorrect", "off by one") is Phase.THINKING
    clock.advance(60)
    assert s.submit("n(n+1)/2", "correct") is Phase.DONE
    out = s.outcome()
    assert (out.rating, out.success, out.attempts, out.active_seconds) == (
        Rating.GOOD,
        True,
        2,
        360,
    )
    s.upgrade_to_easy()
    assert s.outcome().rating is Rating.EASY


def test_correct_after_a_hint_is_hard_and_cannot_be_upgraded() -> None:
    clock, s = sitting()
    clock.advance(1200)
    s.take_hint()
    s.submit("n(n+1)/2", "correct")
    assert (s.outcome().rating, s.outcome().success, s.outcome().hints_used) == (
        Rating.HARD,
        True,
        1,
    )
    with pytest.raises(NotAllowed):
        s.upgrade_to_easy()


def test_revealing_is_again_and_not_a_success() -> None:
    clock, s = sitting()
    s.submit("x", "incorrect")
    clock.advance(1200)
    s.reveal()
    out = s.outcome()
    assert (out.rating, out.success, out.revealed) == (Rating.AGAIN, False, True)
    with pytest.raises(NotAllowed):
        s.submit("late", "correct")


def test_undecided_falls_back_to_self_assessment_once_the_timer_has_run_out() -> None:
    clock, s = sitting()
    assert s.submit("something clever", "undecided") is Phase.THINKING
    assert s.awaiting_comparison
    with pytest.raises(Locked, match="the answer unlocks in 20:00"):
        s.compare()  # no back door: an undecided answer does not open the answer early
    with pytest.raises(NotAllowed):
        s.assess({0})
    clock.advance(1200)
    s.compare()
    assert s.phase is Phase.ASSESSING
    s.assess({0})  # "my answer was right": the one idea of a card without key ideas
    assert (s.outcome().rating, s.outcome().success) == (Rating.GOOD, True)
    clock, wrong = sitting()
    wrong.submit("something clever", "undecided")
    clock.advance(1200)
    wrong.compare()
    wrong.assess(set())
    assert (wrong.outcome().rating, wrong.outcome().success) == (Rating.AGAIN, False)


def test_after_an_undecided_answer_the_learner_may_try_again() -> None:
    _, s = sitting()
    s.submit("something clever", "undecided")
    assert s.submit("n(n+1)/2", "correct") is Phase.DONE
    assert not s.awaiting_comparison
    assert s.outcome().rating is Rating.GOOD


def test_nothing_to_compare_on_a_checked_card_without_an_undecided_answer() -> None:
    clock, s = sitting()
    clock.advance(1200)
    with pytest.raises(NotAllowed, match="no attempt to compare"):
        s.compare()
    s.submit("n", "incorrect")
    with pytest.raises(NotAllowed):
        s.compare()


@pytest.mark.parametrize(
    ("recalled", "hints", "rating", "success"),
    [
        ({0, 1, 2}, 0, Rating.GOOD, True),
        ({0, 1, 2}, 1, Rating.HARD, True),
        ({0, 2}, 0, Rating.HARD, False),
        ({1}, 0, Rating.AGAIN, False),
        (set(), 0, Rating.AGAIN, False),
    ],
)
def test_self_assessed_rating_from_the_share_of_key_ideas(
    recalled: set[int], hints: int, rating: Rating, success: bool
) -> None:
    clock, s = sitting(ASSESSED)
    clock.advance(600)
    for _ in range(hints):
        s.take_hint()
    assert s.submit("my reconstruction", "") is Phase.THINKING
    s.compare()
    s.assess(recalled)
    out = s.outcome()
    assert (out.rating, out.success, out.ideas_recalled, out.ideas_total) == (
        rating,
        success,
        len(recalled),
        3,
    )


def test_assessing_an_idea_that_does_not_exist_is_refused() -> None:
    clock, s = sitting(ASSESSED)
    s.submit("text", "")
    clock.advance(600)
    s.compare()
    with pytest.raises(ValueError, match="numbered 0 to 2"):
        s.assess({3})


def test_quit_and_resume_keeps_the_timer_where_it_was() -> None:
    clock, s = sitting()
    clock.advance(500)
    s.take_hint() if not s.locked else None
    s.add_note("why n+1 and not n?")
    saved = Snapshot.from_json(s.snapshot().to_json())
    assert saved.active_seconds == 500 and saved.notes == ["why n+1 and not n?"]
    clock.advance(3 * 3600)  # the learner is away: away time is not active time
    clock2 = ManualClock(START)
    resumed = CardSession(CHECKED, clock2, saved)
    assert resumed.remaining() == 700
    clock2.advance(700)
    assert not resumed.locked


def test_a_clock_jump_unlocks_nothing() -> None:
    clock, s = sitting()
    clock.jump_wall_clock(+24 * 3600)
    assert s.locked and s.remaining() == 1200
    clock.jump_wall_clock(-48 * 3600)
    assert s.remaining() == 1200


def test_snapshot_of_another_card_is_refused() -> None:
    with pytest.raises(ValueError):
        CardSession(CHECKED, ManualClock(START), Snapshot(card_id="other"))


def test_a_zero_timer_unlocks_at_once() -> None:
    facts = CardFacts("x", checkable=True, hints=1, key_ideas=0, timer=0, hint_gap=0)
    _, s = sitting(facts)
    assert not s.locked and s.take_hint() == 0


def test_countdown_format_and_timer_resolution() -> None:
    assert [format_countdown(x) for x in (0, 0.2, 59.01, 1200, 3725)] == [
        "00:00",
        "00:01",
        "01:00",
        "20:00",
        "1:02:05",
    ]
    assert resolve_timer(None, 600, 1200, default=1200) == 600
    assert resolve_timer(0, 600, default=1200) == 0
    assert resolve_timer(None, None, default=300) == 300


def test_the_bottom_out_hint_counts_as_not_knowing() -> None:
    clock, s = sitting()  # three hints
    clock.advance(1200)
    for _ in range(2):
        s.take_hint()
        clock.advance(120)
    assert not s.bottomed_out
    s.take_hint()
    assert s.bottomed_out
    s.submit("n(n+1)/2", "correct")
    out = s.outcome()
    assert (out.rating, out.success, out.revealed, out.hints_used) == (
        Rating.AGAIN,
        False,
        False,
        3,
    )


def test_a_single_hint_is_not_a_bottom_out_hint() -> None:
    facts = CardFacts("x", checkable=True, hints=1, key_ideas=0, timer=0, hint_gap=0)
    _, s = sitting(facts)
    s.take_hint()
    s.submit("y", "correct")
    assert (s.outcome().rating, s.outcome().success) == (Rating.HARD, True)


def test_a_self_assessed_reconstruction_waits_for_the_timer() -> None:
    clock, s = sitting(ASSESSED)
    s.submit("my reconstruction", "")
    with pytest.raises(Locked, match="the answer unlocks in 10:00"):
        s.compare()
    clock.advance(599)
    with pytest.raises(Locked, match="00:01"):
        s.compare()
    clock.advance(1)
    s.compare()  # on paper or typed: the comparison is the learner's
    assert s.phase is Phase.ASSESSING


@pytest.mark.parametrize(
    ("verdicts", "rating"),
    [
        ([], Rating.GOOD),
        (["incorrect"], Rating.GOOD),
        (["incorrect", "incorrect"], Rating.HARD),
        (["invalid", "invalid", "invalid", "incorrect"], Rating.GOOD),
        (["incorrect", "invalid", "incorrect", "undecided"], Rating.HARD),
    ],
)
def test_guesses_count(verdicts: list[str], rating: Rating) -> None:
    _, s = sitting()
    for verdict in verdicts:
        s.submit("a guess", verdict)
    s.submit("n(n+1)/2", "correct")
    assert s.outcome().rating is rating
    assert s.outcome().success


def test_feedback_that_stated_the_answer_counts_as_a_hint() -> None:
    _, s = sitting()
    s.submit("n(n-1)/2", "incorrect", "Off by one: it is n(n+1)/2.", told=True)
    s.submit("n(n+1)/2", "correct")
    out = s.outcome()
    assert (out.rating, out.hints_used, out.success) == (Rating.HARD, 1, True)
    with pytest.raises(NotAllowed):
        s.upgrade_to_easy()


BOTH = CardFacts("both", checkable=True, hints=3, key_ideas=2, timer=600, hint_gap=60)


@pytest.mark.parametrize(
    ("recalled", "rating", "success"),
    [({0, 1}, Rating.GOOD, True), ({0}, Rating.HARD, False), (set(), Rating.AGAIN, False)],
)
def test_a_correct_formula_leads_on_to_the_key_ideas_and_the_lower_rating_wins(
    recalled: set[int], rating: Rating, success: bool
) -> None:
    _, s = sitting(BOTH)
    assert s.submit("x", "correct") is Phase.ASSESSING  # no waiting: the formula was earned
    assert s.snapshot().formula_correct
    s.assess(recalled)
    out = s.outcome()
    assert (out.rating, out.success) == (rating, success)


def test_both_halves_after_guessing_are_at_most_hard() -> None:
    _, s = sitting(BOTH)
    s.submit("y", "incorrect")
    s.submit("z", "incorrect")
    s.submit("x", "correct")
    s.assess({0, 1})
    assert s.outcome().rating is Rating.HARD


@pytest.mark.parametrize("how", ["correct", "reveal", "ideas"])
def test_undo_goes_back_to_just_before_the_card_was_done(how: str) -> None:
    clock, s = sitting(BOTH if how == "ideas" else CHECKED)
    clock.advance(1300)
    s.submit("n", "incorrect")
    before = s.snapshot()
    if how == "correct":
        s.submit("n(n+1)/2", "correct")
    elif how == "reveal":
        s.reveal()
    else:
        s.submit("x", "correct")
        before = s.snapshot()
        s.assess({0})
    assert s.phase is Phase.DONE and s.can_undo
    clock.advance(5)
    s.undo()
    after = s.snapshot()
    assert after.phase == before.phase
    assert after.attempts == before.attempts
    assert (after.revealed, after.ideas_recalled) == (before.revealed, before.ideas_recalled)
    assert after.active_seconds >= before.active_seconds  # time spent is never taken back
    assert not s.can_undo
    with pytest.raises(NotAllowed, match="nothing to undo"):
        s.undo()


@pytest.mark.parametrize(
    "change",
    [
        {"phase": "bogus"},
        {"active_seconds": float("nan")},
        {"active_seconds": -1.0},
        {"active_seconds": "12"},
        {"hints_shown": -2},
        {"hints_shown": True},
        {"notes": "not a list"},
        {"notes": [3]},
        {"draft": None},
        {"values": []},
        {"card_id": 7},
    ],
)
def test_a_saved_sitting_this_program_never_writes_is_refused_on_reading(
    change: dict[str, object],
) -> None:
    """Read back, a snapshot another program rewrote fails at once (ValueError or TypeError),
    so the sitting resumes from its timer alone, not later when the card is shown."""
    from tutor.study.session import Snapshot

    good = Snapshot(card_id="c", active_seconds=12.5, hints_shown=1, notes=["hm"]).to_json()
    assert Snapshot.from_json(good).to_json() == good
    with pytest.raises((ValueError, TypeError)):
        Snapshot.from_json({**good, **change})


def _seconds(shown: str) -> int:
    """What `format_countdown` and `format_elapsed` wrote, read back."""
    parts = [int(part) for part in shown.split(":")]
    return sum(part * 60**power for power, part in enumerate(reversed(parts)))


@given(
    st.integers(min_value=1, max_value=4 * 3600),
    st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_time_spent_and_time_left_add_up_to_the_timer(timer: int, share: float) -> None:
    """Shown side by side ("00:00 spent so far", "10:00 left"), the time spent rounds down and
    the time left rounds up (00:00 left means unlocked), so that they add up to the timer: 0.6 s
    into a 10:00 timer was "00:01 spent" and "10:00 left"."""
    spent = timer * share
    assert _seconds(format_elapsed(spent)) + _seconds(format_countdown(timer - spent)) == timer
    assert format_elapsed(0.6) == "00:00" and format_countdown(600 - 0.6) == "10:00"
