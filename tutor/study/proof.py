"""The whole proof: once every step of a proof has been reconstructed, the proof itself is a card
that FSRS schedules on its own, and its sitting is the "3 a.m." test: the learner rebuilds the
argument from the statement alone, step by step. Pure: time comes from an injected clock, and
each step runs in a `CardSession` (`tutor.study.session`), so it is checked, hinted, timed and
rated exactly as the step is on its own.

- **The card.** Its id is `proof:` followed by the proof's id. Card ids are lowercase words joined
  by `-`, so no card of the decks can have it. It requires every step of the proof, so the queue
  offers it as a new card, in the prerequisite graph's order (right after the proof's last step),
  once each step has been reconstructed; it then comes back on its own schedule. A proof of one
  step has none (`MIN_STEPS`): it would be that step again.
- **One timer.** Each step's session gets what the sitting's timer has left when the step begins
  (the timer less the active time of the steps before it), so the hints and answers of every step
  are locked until the sitting as a whole has spent the timer.
- **The rating** is the worst of the steps' ratings, each rated by the rules of a card (a guess,
  a hint, the bottom-out hint, a reveal): a proof is rebuilt as well as its weakest step. It is a
  reconstruction when every step is. The learner may upgrade a Good to Easy at the end.
- **Between steps.** A step done waits (`Phase.STEP_DONE`) until the learner goes on
  (`next_step`): until then its rating or reveal can be undone, as a card's can until the next
  card begins. A revealed step does not end the sitting: the learner sees its answer and goes on
  to rebuild the rest, and the proof is rated Again.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tutor.study.clock import Clock
from tutor.study.schedule import Rating
from tutor.study.session import CardFacts, CardSession, NotAllowed, Outcome, Phase, Snapshot

PROOF_CARD_PREFIX = "proof:"
"""What a whole-proof card's id starts with (a character no card id may contain)."""

MIN_STEPS = 2
"""A proof needs this many steps to have a whole-proof card."""


def proof_card_id(proof_id: str) -> str:
    """The id of the whole-proof card of the proof `proof_id`."""
    return PROOF_CARD_PREFIX + proof_id


def is_proof_card(card_id: str) -> bool:
    return card_id.startswith(PROOF_CARD_PREFIX)


def proof_of(card_id: str) -> str:
    """The proof's id, from its whole-proof card's id."""
    if not is_proof_card(card_id):
        raise ValueError(f"{card_id} is not a whole-proof card")
    return card_id[len(PROOF_CARD_PREFIX) :]


@dataclass
class ProofSnapshot:
    """Everything needed to resume a whole-proof sitting: the state of each step begun, in order
    (the last one is the step under study, or the step just done)."""

    card_id: str
    steps: list[Snapshot] = field(default_factory=list)
    easy: bool = False

    @property
    def active_seconds(self) -> float:
        return sum(step.active_seconds for step in self.steps)

    @property
    def hints_shown(self) -> int:
        return sum(step.hints_shown for step in self.steps)

    @property
    def revealed(self) -> bool:
        return any(step.revealed for step in self.steps)

    def to_json(self) -> dict[str, Any]:
        return {
            "card_id": self.card_id,
            "steps": [step.to_json() for step in self.steps],
            "easy": self.easy,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProofSnapshot:
        return cls(
            card_id=data["card_id"],
            steps=[Snapshot.from_json(step) for step in data["steps"]],
            easy=bool(data.get("easy", False)),
        )


class ProofSession:
    """One whole-proof sitting: the steps' sessions in order, under one timer.

    `steps`: each step's facts (their `timer` is replaced: the sitting has one); `timer`: the
    sitting's confusion timer in seconds. A `snapshot` of another proof, or of another version of
    this one (steps added, removed or reordered since), is refused with ValueError."""

    def __init__(
        self,
        card_id: str,
        steps: Sequence[CardFacts],
        timer: int,
        clock: Clock,
        snapshot: ProofSnapshot | None = None,
    ) -> None:
        if not steps:
            raise ValueError("a proof has steps")
        self.card_id = card_id
        self.steps = tuple(steps)
        self.timer = timer
        self._clock = clock
        self._sessions: list[CardSession] = []
        self._easy = False
        if snapshot is None or not snapshot.steps:
            self._open(None)
            return
        saved = [step.card_id for step in snapshot.steps]
        expected = [step.card_id for step in self.steps[: len(saved)]]
        done = all(step.phase == Phase.DONE.value for step in snapshot.steps[:-1])
        if snapshot.card_id != card_id or saved != expected or not done:
            raise ValueError("the snapshot belongs to another proof, or to another version of it")
        for step in snapshot.steps:
            self._open(step)
        self._easy = snapshot.easy

    def _open(self, saved: Snapshot | None) -> None:
        """Begin the next step (or resume it from `saved`), with what the timer has left."""
        spent = sum(session.active_seconds() for session in self._sessions)
        facts = dataclasses.replace(
            self.steps[len(self._sessions)], timer=max(0, math.ceil(self.timer - spent))
        )
        self._sessions.append(CardSession(facts, self._clock, saved))

    # -- where the sitting is ----------------------------------------------------------------

    @property
    def index(self) -> int:
        """The step under study (or just done), from 0."""
        return len(self._sessions) - 1

    @property
    def session(self) -> CardSession:
        """The session of the step under study (or just done)."""
        return self._sessions[-1]

    @property
    def sessions(self) -> list[CardSession]:
        """The sessions of the steps begun, in order."""
        return list(self._sessions)

    @property
    def phase(self) -> Phase:
        phase = self.session.phase
        if phase is Phase.DONE and self.index < len(self.steps) - 1:
            return Phase.STEP_DONE
        return phase

    def next_step(self) -> None:
        """Go on to the next step once the current one is done."""
        if self.phase is not Phase.STEP_DONE:
            raise NotAllowed("cannot go on to the next step now: this step is not done")
        self._open(None)

    def restart(self) -> None:
        self.session.restart()

    def active_seconds(self) -> float:
        return sum(session.active_seconds() for session in self._sessions)

    def remaining(self) -> float:
        """Seconds of the sitting's confusion timer still to run."""
        return max(0.0, self.timer - self.active_seconds())

    # -- undo, Easy, notes -------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        """The step just done can be taken back until the next step begins (the last one until
        the next card begins)."""
        return self.session.can_undo

    def undo(self) -> None:
        self.session.undo()
        self._easy = False

    def upgrade_to_easy(self) -> None:
        if self.phase is not Phase.DONE or self.outcome().rating is not Rating.GOOD:
            raise NotAllowed("only a proof rated Good can be upgraded to Easy")
        self._easy = True

    def add_note(self, text: str) -> None:
        self.session.add_note(text)

    @property
    def notes(self) -> list[str]:
        return [note for session in self._sessions for note in session.notes]

    # -- outcome -----------------------------------------------------------------------------

    def step_outcomes(self) -> list[Outcome]:
        """The outcome of each step done, in order."""
        return [s.outcome() for s in self._sessions if s.phase is Phase.DONE]

    def outcome(self) -> Outcome:
        """The worst honest rating of the steps; a reconstruction when every step is one."""
        if self.phase is not Phase.DONE:
            raise NotAllowed("the proof is not done yet")
        steps = self.step_outcomes()
        rating = min(step.rating for step in steps)
        if self._easy and rating is Rating.GOOD:
            rating = Rating.EASY
        assessed = [step for step in steps if step.ideas_total is not None]
        return Outcome(
            rating=rating,
            success=all(step.success for step in steps),
            hints_used=sum(step.hints_used for step in steps),
            revealed=any(step.revealed for step in steps),
            attempts=sum(step.attempts for step in steps),
            active_seconds=sum(step.active_seconds for step in steps),
            ideas_recalled=sum(s.ideas_recalled or 0 for s in assessed) if assessed else None,
            ideas_total=sum(s.ideas_total or 0 for s in assessed) if assessed else None,
        )

    def snapshot(self) -> ProofSnapshot:
        """The state to save; reading it settles the active time."""
        return ProofSnapshot(
            self.card_id, [session.snapshot() for session in self._sessions], self._easy
        )
