"""One card's sitting: the confusion timer, the hint ladder, attempts, reveal, self-assessment,
and the rating that comes out of what happened. Pure: time comes from an injected clock.

Ratings (design.md): correct with no hint = Good, correct after hints = Hard, answer revealed =
Again; the learner may upgrade a Good to Easy. Taking the last hint of a ladder (the bottom-out
hint) counts as not knowing, like revealing: tutors' logs show learners click through to it
instead of thinking (anchors.md), and rating that Hard would lengthen the interval of a card the
learner could not rebuild.

What happened is the rating, guesses included:

- a correct answer after two or more incorrect attempts is at most Hard (invalid attempts,
  typos the checker could not read, do not count);
- feedback that stated the answer (a deck's mistake message that gives it away) counts as a
  hint taken;
- the answer is never shown before the timer has run out, by any route: an answer the checker
  cannot decide, and a self-assessed card's reconstruction, wait for the timer before the
  learner compares them with the answer (`compare`);
- a card with both a check block and key ideas is done only when both halves are: a correct
  formula leads on to the key-ideas checklist, and the rating is the lower of the two;
- the last rating or reveal can be undone (`undo`) until the next card begins.

The timer counts *active* seconds on the monotonic clock, carried over in the snapshot when the
learner quits and comes back, so quitting resumes it and changing the system clock unlocks
nothing. Submitting an attempt is allowed at any time; hints and the answer only once the timer
has run out, and hints one at a time, at least `hint_gap` active seconds apart.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tutor.study.clock import Clock
from tutor.study.schedule import Rating

VERDICTS = ("correct", "incorrect", "invalid", "undecided")


class Phase(StrEnum):
    THINKING = "thinking"
    """Working on the reconstruction; attempts may be submitted."""
    ASSESSING = "assessing"
    """The answer is shown and the learner compares: a self-assessed card after its attempt,
    or a machine-checked one whose check came back undecided."""
    DONE = "done"
    STEP_DONE = "step-done"
    """A whole-proof sitting only (`tutor.study.proof`): a step is done and the next one waits.
    A card's session never has this phase."""


class Locked(Exception):
    """Hints or the answer are still locked; `seconds` until they unlock."""

    def __init__(self, seconds: float, what: str = "hints unlock") -> None:
        self.seconds = max(0.0, seconds)
        super().__init__(f"{what} in {format_countdown(self.seconds)}")


class NotAllowed(Exception):
    """An action that makes no sense in the session's current phase."""


def format_countdown(seconds: float) -> str:
    """`MM:SS` (or `H:MM:SS`), rounded up so that 00:00 means unlocked."""
    total = max(0, math.ceil(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def format_elapsed(seconds: float) -> str:
    """Time spent, as `format_countdown` writes it but rounded down: a timer's time spent and
    time left, shown side by side, add up to the timer (0.6 s spent of 10:00 is 00:00 spent and
    10:00 left, not 00:01 and 10:00)."""
    return format_countdown(math.floor(max(0.0, seconds)))


@dataclass(frozen=True)
class CardFacts:
    """What a sitting needs to know of its card."""

    card_id: str
    checkable: bool
    hints: int
    key_ideas: int
    timer: int
    """Confusion timer of this sitting, in seconds (the new-card or the review timer)."""
    hint_gap: int


@dataclass(frozen=True)
class Attempt:
    answer: str
    verdict: str
    feedback: str
    read_as: str
    active_seconds: float
    told: bool = False
    """The feedback stated the answer (a mistake message that gives it away): a hint taken."""


@dataclass
class Snapshot:
    """Everything needed to resume a sitting; saved continually while the learner works."""

    card_id: str
    active_seconds: float = 0.0
    hints_shown: int = 0
    last_hint_at: float | None = None
    revealed: bool = False
    phase: str = Phase.THINKING.value
    attempts: list[Attempt] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ideas_recalled: list[int] | None = None
    easy: bool = False
    draft: str = ""
    """The answer being written and not yet submitted, so quitting loses none of it."""
    formula_correct: bool = False
    """A card with a check block and key ideas: its formula was judged correct, and the key
    ideas are being compared."""
    values: dict[str, str] = field(default_factory=dict)
    """A card with drawn inputs (`tutor.study.draws`): the values this sitting shows, by name,
    as exact decimals, so that the card resumes with the same numbers."""

    def to_json(self) -> dict[str, Any]:
        """The snapshot as JSON values (what `dataclasses.asdict` gives, written out: this is
        saved after every action, and `asdict`'s deep copies cost more than the save)."""
        data = vars(self).copy()
        data["attempts"] = [vars(attempt).copy() for attempt in self.attempts]
        data["notes"] = list(self.notes)
        if self.ideas_recalled is not None:
            data["ideas_recalled"] = list(self.ideas_recalled)
        data["values"] = dict(self.values)
        return data

    def copy(self) -> Snapshot:
        """An independent copy (the attempts, immutable, are shared)."""
        twin = copy.copy(self)
        twin.attempts = list(self.attempts)
        twin.notes = list(self.notes)
        if self.ideas_recalled is not None:
            twin.ideas_recalled = list(self.ideas_recalled)
        twin.values = dict(self.values)
        return twin

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Snapshot:
        """The snapshot `to_json` gave. Raises ValueError (or TypeError) for one it never gives
        (the database edited by another program), so the caller resumes from what it can."""
        values = dict(data)
        values["attempts"] = [Attempt(**a) for a in values.get("attempts", [])]
        snapshot = cls(**values)
        Phase(snapshot.phase)  # a phase no sitting has raises here, not when the card is shown
        seconds = snapshot.active_seconds
        if (
            not isinstance(snapshot.card_id, str)
            or isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not 0 <= seconds < math.inf
            or type(snapshot.hints_shown) is not int
            or snapshot.hints_shown < 0
            or not isinstance(snapshot.notes, list)
            or not all(isinstance(note, str) for note in snapshot.notes)
            or not isinstance(snapshot.draft, str)
            or not isinstance(snapshot.values, dict)
        ):
            raise ValueError("a saved sitting this program never writes")
        return snapshot


@dataclass(frozen=True)
class Outcome:
    rating: Rating
    success: bool
    """Reconstructed: judged correct, or every key idea recalled, without revealing."""
    hints_used: int
    revealed: bool
    attempts: int
    active_seconds: float
    ideas_recalled: int | None
    ideas_total: int | None


class CardSession:
    def __init__(self, facts: CardFacts, clock: Clock, snapshot: Snapshot | None = None) -> None:
        if snapshot is not None and snapshot.card_id != facts.card_id:
            raise ValueError("the snapshot belongs to another card")
        self.facts = facts
        self._clock = clock
        self._state = snapshot or Snapshot(card_id=facts.card_id)
        self._since = clock.monotonic()
        self._before_done: Snapshot | None = None
        """The state just before the card was done: what `undo` goes back to."""

    # -- time -------------------------------------------------------------------------------

    def active_seconds(self) -> float:
        if self.phase is Phase.DONE:
            return self._state.active_seconds
        return self._state.active_seconds + max(0.0, self._clock.monotonic() - self._since)

    def restart(self) -> None:
        """Count the card's time from now: what passed since the last reading (a welcome
        screen read before the card was shown) is not the card's."""
        self._since = self._clock.monotonic()

    def _settle(self) -> float:
        """Fold the time since the last reading into the saved active seconds."""
        now = self._clock.monotonic()
        if self.phase is not Phase.DONE:
            self._state.active_seconds += max(0.0, now - self._since)
        self._since = now
        return self._state.active_seconds

    def credit(self, seconds: float) -> None:
        """Count `seconds` more of active time: time spent on the card that a failed save did
        not keep (`Sitting`), so reloading the card does not turn its timer back."""
        if self.phase is not Phase.DONE and seconds > 0:
            self._state.active_seconds += seconds

    def remaining(self) -> float:
        """Seconds of the confusion timer still to run (0 when it has run out)."""
        return max(0.0, self.facts.timer - self.active_seconds())

    @property
    def locked(self) -> bool:
        return self.remaining() > 0

    # -- hints and the answer ---------------------------------------------------------------

    @property
    def hints_shown(self) -> int:
        return self._state.hints_shown

    @property
    def bottomed_out(self) -> bool:
        """The learner took the last hint of a ladder of two or more: the bottom-out hint, which
        all but gives the answer away, so the card counts as not known (rated Again)."""
        return self.facts.hints >= 2 and self._state.hints_shown >= self.facts.hints

    def next_hint_in(self) -> float:
        """Seconds until the next hint may be taken: 0 now, infinity when none are left."""
        if self._state.hints_shown >= self.facts.hints:
            return math.inf
        wait = self.remaining()
        if self._state.last_hint_at is not None:
            gap_left = self._state.last_hint_at + self.facts.hint_gap - self.active_seconds()
            wait = max(wait, gap_left)
        return max(0.0, wait)

    def take_hint(self) -> int:
        """Unlock the next hint; its index (from 0). Raises Locked while it must wait."""
        self._require(Phase.THINKING, "take a hint")
        wait = self.next_hint_in()
        if wait == math.inf:
            raise NotAllowed("there are no more hints")
        if wait > 0:
            raise Locked(wait, "hints unlock")
        self._state.last_hint_at = self._settle()
        self._state.hints_shown += 1
        return self._state.hints_shown - 1

    def reveal(self) -> None:
        """Show the answer: the card is done, rated Again. Raises Locked while the timer runs."""
        if self.phase is Phase.DONE:
            raise NotAllowed("the card is already done")
        if self.phase is Phase.THINKING and self.locked:
            raise Locked(self.remaining(), "the answer unlocks")
        self._settle()
        self._before_done = self._copy()
        self._state.revealed = True
        self._state.phase = Phase.DONE.value

    # -- attempts ---------------------------------------------------------------------------

    @property
    def phase(self) -> Phase:
        return Phase(self._state.phase)

    @property
    def attempts(self) -> list[Attempt]:
        return list(self._state.attempts)

    def submit(
        self,
        answer: str,
        verdict: str,
        feedback: str = "",
        read_as: str = "",
        *,
        told: bool = False,
    ) -> Phase:
        """Record an attempt and its verdict (a self-assessed card's has none: pass ""). A
        correct formula finishes the card, or leads on to its key ideas when it has some; every
        other attempt keeps the learner thinking: an undecided answer and a self-assessed
        reconstruction are compared with the answer once the timer has run out (`compare`).
        `told`: the feedback stated the answer, which counts as a hint."""
        self._require(Phase.THINKING, "submit")
        if self.facts.checkable and verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        at = self._settle()
        before = self._copy()
        self._state.attempts.append(Attempt(answer, verdict, feedback, read_as, at, told))
        if self.facts.checkable and verdict == "correct":
            if self.facts.key_ideas > 0:
                self._state.formula_correct = True
                self._state.phase = Phase.ASSESSING.value
            else:
                self._before_done = before
                self._state.phase = Phase.DONE.value
        return self.phase

    @property
    def awaiting_comparison(self) -> bool:
        """The learner may compare with the answer (once the timer has run out): the card is
        self-assessed (its reconstruction may be typed or on paper), or the last attempt at a
        machine-checked card was undecided."""
        if self.phase is not Phase.THINKING:
            return False
        if not self.facts.checkable:
            return True
        return bool(self._state.attempts) and self._state.attempts[-1].verdict == "undecided"

    def compare(self) -> None:
        """Show the answer to compare the last attempt with, idea by idea: only once the timer
        has run out (Locked before), and only when an attempt waits for it (NotAllowed)."""
        self._require(Phase.THINKING, "compare with the answer")
        if not self.awaiting_comparison:
            raise NotAllowed("there is no attempt to compare with the answer")
        if self.locked:
            raise Locked(self.remaining(), "the answer unlocks")
        self._settle()
        self._state.phase = Phase.ASSESSING.value

    def assess(self, recalled: set[int]) -> None:
        """While comparing with the answer: which key ideas were recalled (indices from 0).
        A card judged undecided that has no key ideas has one 'idea': was the answer right."""
        self._require(Phase.ASSESSING, "assess")
        total = self._ideas_total()
        if any(not 0 <= i < total for i in recalled):
            raise ValueError(f"key ideas are numbered 0 to {total - 1}")
        self._settle()
        self._before_done = self._copy()
        self._state.ideas_recalled = sorted(recalled)
        self._state.phase = Phase.DONE.value

    @property
    def can_undo(self) -> bool:
        return self.phase is Phase.DONE and self._before_done is not None

    def undo(self) -> None:
        """Take back the rating or the reveal that finished the card: the sitting is as it was
        just before (the time spent since is kept)."""
        if not self.can_undo:
            raise NotAllowed("there is nothing to undo")
        assert self._before_done is not None
        spent = self._settle()
        self._state = self._before_done
        self._state.active_seconds = max(self._state.active_seconds, spent)
        self._before_done = None
        self._since = self._clock.monotonic()

    def _copy(self) -> Snapshot:
        return self._state.copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> CardSession:
        """A copy with its own state, sharing the facts (immutable) and the clock."""
        twin = memo[id(self)] = copy.copy(self)  # a proof's steps and its current one: one copy
        twin._state = self._state.copy()
        twin._before_done = None if self._before_done is None else self._before_done.copy()
        return twin

    def upgrade_to_easy(self) -> None:
        """The learner found a Good card easy."""
        if self.phase is not Phase.DONE or self.outcome().rating is not Rating.GOOD:
            raise NotAllowed("only a card rated Good can be upgraded to Easy")
        self._state.easy = True

    def add_note(self, text: str) -> None:
        """A confusion note, kept with the attempt and shown when the card comes back."""
        if text.strip():
            self._state.notes.append(text.strip())

    @property
    def notes(self) -> list[str]:
        return list(self._state.notes)

    @property
    def draft(self) -> str:
        return self._state.draft

    def keep_draft(self, text: str) -> None:
        """The answer in progress, saved with the rest (an attempt clears nothing: the learner
        edits their last answer)."""
        self._state.draft = text

    # -- outcome ----------------------------------------------------------------------------

    def outcome(self) -> Outcome:
        if self.phase is not Phase.DONE:
            raise NotAllowed("the card is not done yet")
        state = self._state
        told = sum(1 for attempt in state.attempts if attempt.told)
        hints = state.hints_shown + told
        recalled: int | None = None
        total: int | None = None
        helped = hints > 0 or self.guessed
        if state.revealed or self.bottomed_out:
            rating, success = Rating.AGAIN, False
        elif state.ideas_recalled is not None:
            recalled, total = len(state.ideas_recalled), self._ideas_total()
            share = recalled / total
            if share == 1:
                rating, success = (Rating.HARD if helped else Rating.GOOD), True
            elif share >= 0.5:
                rating, success = Rating.HARD, False
            else:
                rating, success = Rating.AGAIN, False
        else:
            rating, success = (Rating.HARD if helped else Rating.GOOD), True
        if state.easy and rating is Rating.GOOD:
            rating = Rating.EASY
        return Outcome(
            rating=rating,
            success=success,
            hints_used=hints,
            revealed=state.revealed,
            attempts=len(state.attempts),
            active_seconds=state.active_seconds,
            ideas_recalled=recalled,
            ideas_total=total,
        )

    def snapshot(self) -> Snapshot:
        """The state to save; reading it settles the active time."""
        self._settle()
        return self._state.copy()

    @property
    def guessed(self) -> bool:
        """Two or more incorrect attempts before the answer was right: at most Hard."""
        return sum(1 for attempt in self._state.attempts if attempt.verdict == "incorrect") >= 2

    # -- helpers ----------------------------------------------------------------------------

    def _ideas_total(self) -> int:
        return self.facts.key_ideas if self.facts.key_ideas > 0 else 1

    def _require(self, phase: Phase, action: str) -> None:
        if self.phase is not phase:
            raise NotAllowed(f"cannot {action} now: the card is {self.phase.value}")


def resolve_timer(*candidates: int | None, default: int) -> int:
    """The first timer set among card, deck and config (in that order), else `default`."""
    return next((value for value in candidates if value is not None), default)
