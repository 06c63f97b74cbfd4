"""One card's sitting: the study engine's session machine (`tutor.study.session`), or a whole
proof's (`tutor.study.proof`), and the saving of every action.

Progress of the card under study is saved after every action (`Sitting.save()` for the time in
between), so quitting, a crash or kill -9 resume the card where its timer was. When a write
fails, the sitting is made again from what the database holds (`NotSaved`).
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from tutor.deck.model import Card, Deck
from tutor.store.errors import StoreError
from tutor.store.rows import MemoryState, SavedProgress
from tutor.study.clock import Clock
from tutor.study.proof import ProofSession, ProofSnapshot
from tutor.study.schedule import review
from tutor.study.session import (
    CardFacts,
    CardSession,
    NotAllowed,
    Outcome,
    Phase,
    Snapshot,
)
from tutor.study.streaks import Streak
from tutor.today.queue import memory_of
from tutor.today.records import AttemptRecord, ProgressState, ReviewRecord

if TYPE_CHECKING:
    from tutor.check.verdict import Verdict
    from tutor.store.queries import SavedReview
    from tutor.today.desk import Desk

MAX_ANSWER = 20_000
"""Characters of an answer kept in the database (the checker bounds what it reads itself)."""


@dataclass(frozen=True)
class Finished:
    """A card done: how it was rated, when it comes back, and the streaks after it."""

    card_id: str
    outcome: Outcome
    due: datetime
    streak: Streak
    run: int
    """The card's run of successful reconstructions, this one included."""
    whole: bool = False
    """A whole-proof card (`tutor.study.proof`): "reconstructed" is "rebuilt whole"."""


def facts_of(card: Card, timer: int, hint_gap: int) -> CardFacts:
    return CardFacts(
        card_id=card.id,
        checkable=card.checkable,
        hints=len(card.hints),
        key_ideas=len(card.key_ideas),
        timer=timer,
        hint_gap=hint_gap,
    )


def proof_session(
    card_id: str,
    steps: list[CardFacts],
    timer: int,
    clock: Clock,
    row: SavedProgress | None,
) -> ProofSession:
    """A whole-proof sitting, resumed from its saved state if any. A state that cannot be read,
    or that belongs to the proof before an edit of its steps, starts again at the first step
    with the time already spent (the timer is not reset)."""
    if row is None:
        return ProofSession(card_id, steps, timer, clock)
    try:
        saved = ProofSnapshot.from_json(json.loads(row.state_json))
        return ProofSession(card_id, steps, timer, clock, saved)
    except (ValueError, TypeError, KeyError):
        spent = Snapshot(card_id=steps[0].card_id, active_seconds=row.active_seconds)
        return ProofSession(card_id, steps, timer, clock, ProofSnapshot(card_id, [spent]))


def snapshot_from(row: SavedProgress) -> Snapshot:
    """The saved state of the unfinished card; if it cannot be read, its timer at least."""
    try:
        data = json.loads(row.state_json)
        snapshot = Snapshot.from_json(data)
        if snapshot.card_id == row.card_id:
            return snapshot
    except (ValueError, TypeError, KeyError):
        pass
    return Snapshot(
        card_id=row.card_id,
        active_seconds=row.active_seconds,
        hints_shown=row.hints_shown,
        revealed=row.revealed,
    )


class NotSaved(StoreError):
    """An action of a sitting could not be saved. The sitting was reloaded from the database,
    so what the front end shows is what is stored; the message says in one line why, what the
    database keeps of the card and what was lost."""


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _reloaded_on_failure(
    action: Callable[Concatenate[Sitting, _P], _R],
) -> Callable[Concatenate[Sitting, _P], _R]:
    """A sitting's action that writes: if the write fails, the sitting is reloaded from the
    database (`Sitting.reload`) and NotSaved says what was kept, instead of the front end
    going on with an attempt, hint or rating the database does not hold."""
    return _reloading(action, copied=True)


def _reloaded_on_failure_as_is(
    action: Callable[Concatenate[Sitting, _P], _R],
) -> Callable[Concatenate[Sitting, _P], _R]:
    """`_reloaded_on_failure` of an action that leaves the sitting's state machine as it is
    (it reads it and writes what it says): the machine before it is the machine itself, not
    a copy made on every call."""
    return _reloading(action, copied=False)


def _reloading(
    action: Callable[Concatenate[Sitting, _P], _R], *, copied: bool
) -> Callable[Concatenate[Sitting, _P], _R]:
    def act(self: Sitting, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        before = self._machine_copy() if copied else self._machine
        try:
            return action(self, *args, **kwargs)
        except NotSaved:
            raise
        except StoreError as failed:
            raise NotSaved(f"{failed}; {self.reload(before)}") from failed

    functools.update_wrapper(act, action)
    return act


@dataclass(frozen=True)
class _Tally:
    """What a sitting holds, counted, to say what a reload kept and lost."""

    answers: int
    hints: int
    notes: int
    revealed: bool
    steps_begun: int
    done: bool

    @classmethod
    def of(cls, snapshot: Snapshot | ProofSnapshot) -> _Tally:
        steps = snapshot.steps if isinstance(snapshot, ProofSnapshot) else [snapshot]
        return cls(
            answers=sum(len(step.attempts) for step in steps),
            hints=sum(step.hints_shown for step in steps),
            notes=sum(len(step.notes) for step in steps),
            revealed=any(step.revealed for step in steps),
            steps_begun=len(steps),
            done=bool(steps) and steps[-1].phase == Phase.DONE.value,
        )

    def kept(self) -> str:
        """What the database keeps, as the learner counts it."""
        parts = [_count(self.answers, "answer"), _count(self.hints, "hint")]
        if self.notes:
            parts.append(_count(self.notes, "note"))
        if self.steps_begun > 1:
            parts.append(f"step {self.steps_begun}")
        if self.revealed:
            parts.append("the answer shown")
        return ", ".join(parts)

    def lost(self, held: _Tally) -> list[str]:
        """What the front end held (`held`) and the database does not."""
        lost = []
        if held.answers > self.answers:
            missing = held.answers - self.answers
            lost.append("your last answer" if missing == 1 else f"your last {missing} answers")
        if held.hints > self.hints:
            lost.append("the hint just taken")
        if held.notes > self.notes:
            lost.append("your note")
        if held.steps_begun > self.steps_begun:
            lost.append("the move to the next step")
        if held.revealed and not self.revealed:
            lost.append("showing the answer")
        if not lost and held.done and not self.done:
            lost.append("the end of the card")
        return lost


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class RebuiltStep:
    """A step done in a whole-proof sitting: what the learner wrote for it (None: nothing
    typed, a reconstruction on paper), and how it went."""

    card: Card
    answer: str | None
    outcome: Outcome


@dataclass(frozen=True)
class Note:
    """A confusion note written at an earlier sitting of the card."""

    id: int
    text: str
    written_at: datetime


@dataclass
class Sitting:
    """Today's card under study: the session machine plus saving. Every action saves."""

    desk: Desk
    card: Card
    deck: Deck
    session: CardSession
    memory: MemoryState | None
    started_at: datetime
    is_review: bool
    resumed: bool
    last_note: str | None
    """The newest confusion note written before this sitting: shown when the card comes back."""
    last_notes: list[Note] = field(default_factory=list)
    """Last time's notes that are not resolved, oldest first, each with its id and date."""
    last_verdict: Verdict | None = field(default=None)
    saved_review: SavedReview | None = field(default=None)
    """The review `finish` saved, until the next card begins: what `undo` takes back."""
    proof: ProofSession | None = field(default=None)
    """A whole-proof sitting (`tutor.study.proof`): the proof rebuilt from its statement, step
    by step. `card` and `session` are then the step under study (or just done), and move on
    with `next_step`; `deck` is the proof."""

    @property
    def card_id(self) -> str:
        """The id of the card this sitting rates: the card's, or the whole-proof card's."""
        return self.proof.card_id if self.proof is not None else self.card.id

    @property
    def kind(self) -> str:
        """What is studied, as the front ends name it: the card's kind, or `proof`."""
        return "proof" if self.proof is not None else self.card.kind

    @property
    def _machine(self) -> CardSession | ProofSession:
        """What rates the sitting: the card's session, or the whole proof's."""
        return self.proof if self.proof is not None else self.session

    @property
    def phase(self) -> Phase:
        """The card's phase; in a whole-proof sitting, the step's, with `Phase.STEP_DONE`
        between steps and `Phase.DONE` once the last step is done."""
        return self._machine.phase

    @property
    def timer(self) -> int:
        """The confusion timer of the sitting, in seconds (for a whole proof: all its steps')."""
        return self.proof.timer if self.proof is not None else self.session.facts.timer

    @property
    def established(self) -> list[Card]:
        """For a proof step, the steps before it (shown with their answers). None in a
        whole-proof sitting: it shows only the learner's own answers (`rebuilt`)."""
        if self.proof is not None or not self.deck.is_proof:
            return []
        return self.deck.cards[: self.card.position]

    @property
    def rebuilt(self) -> list[RebuiltStep]:
        """In a whole-proof sitting, the steps done so far, with the learner's own answers."""
        if self.proof is None:
            return []
        done: list[RebuiltStep] = []
        for step, session in zip(self.deck.cards, self.proof.sessions, strict=False):
            if session.phase is not Phase.DONE:
                break
            attempts = session.attempts
            answer = attempts[-1].answer if attempts else None
            done.append(RebuiltStep(step, answer, session.outcome()))
        return done

    def outcome(self) -> Outcome:
        """How the sitting is rated, once it is done (a whole proof: its worst step)."""
        return self._machine.outcome()

    @property
    def notes(self) -> list[str]:
        """The confusion notes written in this sitting."""
        return self._machine.notes

    @_reloaded_on_failure
    def next_step(self) -> None:
        """In a whole-proof sitting, go on from the step just done to the next one."""
        if self.proof is None:
            raise NotAllowed("only a whole-proof sitting has steps to go on to")
        self.proof.next_step()
        self.session = self.proof.session
        self.card = self.deck.cards[self.proof.index]
        self.last_verdict = None
        self._save()

    # -- actions -------------------------------------------------------------------------------

    @_reloaded_on_failure
    def take_hint(self) -> str:
        """The next hint's Markdown source. Raises Locked while it must wait."""
        index = self.session.take_hint()
        self._save()
        return self.card.hints[index].source

    @_reloaded_on_failure
    def reveal(self) -> None:
        self.session.reveal()
        self._save()

    def judge(self, answer: str) -> Verdict:
        """The checker's verdict on an answer to this card (no state changes: a front end may
        call this from a worker and then `submit(answer, verdict)`)."""
        from tutor.check.spec import CheckSpec

        if self.card.check is None:
            raise ValueError(f"{self.card.id} is self-assessed: it has no check block")
        spec = CheckSpec.from_pairs(self.card.check.pairs())
        return self.desk.checkers.get().judge(spec, answer)

    @_reloaded_on_failure
    def submit(self, answer: str, verdict: Verdict | None = None) -> Verdict | None:
        """Record an attempt. A machine-checked card's answer is judged (unless `verdict` is
        given); a self-assessed card's moves on to comparing with the answer (None)."""
        answer = answer[:MAX_ANSWER]
        if self.card.checkable and verdict is None:
            verdict = self.judge(answer)
        word = verdict.verdict if verdict is not None else ""
        feedback = verdict.feedback if verdict is not None else ""
        read_as = verdict.read_as if verdict is not None else ""
        told = verdict.told if verdict is not None else False
        self.session.submit(answer, word, feedback, read_as, told=told)
        self.last_verdict = verdict
        attempt = AttemptRecord(
            card_id=self.card_id,
            step=self.card.id if self.proof is not None else None,
            at=self.desk.now(),
            active_seconds=self.session.active_seconds(),
            answer=answer,
            verdict=word or "self-assessed",
            feedback=feedback,
            read_as=read_as,
        )
        self.desk.ledger.attempt(attempt, self._progress())
        self.desk.queue.begun(self.card_id)
        return verdict

    def begin(self) -> None:
        """The card is shown now: its time, and the sitting, start here."""
        self.session.restart()
        self.started_at = self.desk.now()

    @_reloaded_on_failure
    def compare(self) -> None:
        """Show the answer to compare with (a self-assessed card, an undecided answer): only
        once the timer has run out."""
        self.session.compare()
        self._save()

    @_reloaded_on_failure
    def assess(self, recalled: set[int]) -> None:
        self.session.assess(recalled)
        self._save()

    @property
    def can_undo(self) -> bool:
        return self._machine.can_undo

    @_reloaded_on_failure
    def undo(self) -> None:
        """Take back the last rating or reveal: the card is open again as it was, and when its
        review was saved already, the database is as it was before it (memory, review, the
        day's totals, the streak)."""
        self._machine.undo()
        if self.saved_review is None:
            self._save()
            return
        self.desk.ledger.undo(self.saved_review, self._progress())
        self.saved_review = None
        self.desk.queue.forget()
        self.desk.figures.forget()

    @_reloaded_on_failure
    def upgrade_to_easy(self) -> None:
        self._machine.upgrade_to_easy()
        self._save()

    @_reloaded_on_failure
    def add_note(self, text: str) -> None:
        text = text.strip()[:MAX_ANSWER]
        if not text:
            return
        self._machine.add_note(text)
        self.desk.ledger.note(self.card_id, text, self.desk.now())
        if self.phase is not Phase.DONE:  # a done card has no progress left to save
            self._save()

    @_reloaded_on_failure
    def resolve_note(self, note: Note) -> None:
        """Mark one of last time's notes resolved: it stops coming back."""
        self.desk.ledger.resolve(note.id, self.desk.now())
        self.last_notes = [kept for kept in self.last_notes if kept.id != note.id]
        self.last_note = "\n".join(kept.text for kept in self.last_notes) or None

    def keep_draft(self, text: str) -> None:
        """Keep the answer being written (saved with the next `save`)."""
        self.session.keep_draft(text[:MAX_ANSWER])

    @_reloaded_on_failure
    def save(self) -> None:
        """Save the state of the sitting (its active time included)."""
        self._save()

    def _save(self) -> None:
        self.desk.ledger.progress(self._progress())
        self.desk.queue.begun(self.card_id)

    def _machine_copy(self) -> CardSession | ProofSession:
        """A copy of the sitting's state machine (sharing the desk's clock), to go back to."""
        clock = self.desk.clock
        return copy.deepcopy(self._machine, {id(clock): clock})

    def reload(self, before: CardSession | ProofSession) -> str:
        """After a write failed: make the sitting what the database holds of it, so that the
        front end goes on from there, and say in one line what was kept and what was lost.

        The database's saved progress of the card is taken when there is one; with none, the
        card as first shown, unless the card's review is saved already (a failed undo) or the
        database cannot be read either, when `before` (a copy of the state machine before the
        failed action, able to undo as it was) is taken. The time spent on the card is kept
        whatever the database holds (it is saved with the next write that succeeds), so a disk
        that stays full does not hold the timer back, and so is the answer being written."""
        held = _Tally.of(self._machine.snapshot())
        spent = self._machine.active_seconds()
        draft = self.session.draft
        unreadable = False
        try:
            row = self.desk.ledger.saved_progress()
        except StoreError:
            row, unreadable = None, True
        if row is not None and row.card_id == self.card_id:
            self._rebuild(row=row)
        elif unreadable or self.saved_review is not None:
            self._take(before)
        else:
            self._rebuild()
        self.session.credit(spent - self._machine.active_seconds())
        if self.session.phase is Phase.THINKING and not self.session.draft:
            self.session.keep_draft(draft)
        kept = _Tally.of(self._machine.snapshot())
        lost = kept.lost(held)
        if lost:
            self.last_verdict = None
        if unreadable:
            line = f"the database cannot be read either: the card is as before ({kept.kept()})"
        else:
            line = f"the database keeps {kept.kept()}"
        return line + (f"; lost: {', '.join(lost)}" if lost else "; nothing else was lost")

    def _rebuild(self, *, row: SavedProgress | None = None) -> None:
        """The sitting's state machine made again from a saved progress row, or (None) as the
        card was first shown."""
        clock = self.desk.clock
        if self.proof is not None:
            proof = self.proof
            self._take(proof_session(proof.card_id, list(proof.steps), proof.timer, clock, row))
            return
        state = snapshot_from(row) if row is not None else None
        self._take(CardSession(self.session.facts, clock, state))

    def _take(self, machine: CardSession | ProofSession) -> None:
        """Make `machine` the sitting's state machine."""
        if isinstance(machine, ProofSession):
            self.proof = machine
            self.session = machine.session
            self.card = self.deck.cards[machine.index]
        else:
            self.session = machine

    def _progress(self) -> ProgressState:
        snapshot = self._machine.snapshot()
        return ProgressState(
            card_id=self.card_id,
            study_day=self.desk.today(),
            started_at=self.started_at,
            updated_at=self.desk.now(),
            active_seconds=snapshot.active_seconds,
            hints_shown=snapshot.hints_shown,
            revealed=snapshot.revealed,
            state_json=json.dumps(snapshot.to_json(), ensure_ascii=False),
        )

    @_reloaded_on_failure_as_is
    def finish(self) -> Finished:
        """Rate and schedule the card and save its review, all in one transaction."""
        outcome = self.outcome()
        desk = self.desk
        now = desk.now()
        today = desk.today()
        prior = self.memory
        memory = review(
            memory_of(prior) if prior is not None else None,
            outcome.rating,
            now,
            desired_retention=desk.settings.desired_retention,
            fuzz=desk.fuzz,
            parameters=desk.figures.parameters(),
        )
        run = (prior.run if prior is not None else 0) + 1 if outcome.success else 0
        if self.proof is not None:
            attempts = [a for session in self.proof.sessions for a in session.attempts]
            final_answer = "\n".join(
                f"{step.card.position + 1}. {step.answer if step.answer is not None else ''}"
                for step in self.rebuilt
            )
        else:
            attempts = self.session.attempts
            final_answer = attempts[-1].answer if attempts else ""
        record = ReviewRecord(
            card_id=self.card_id,
            study_day=today,
            started_at=self.started_at.astimezone(UTC),
            ended_at=now,
            active_seconds=outcome.active_seconds,
            attempts=outcome.attempts,
            hints_used=outcome.hints_used,
            revealed=outcome.revealed,
            verdicts=json.dumps([a.verdict or "self-assessed" for a in attempts]),
            rating=int(outcome.rating),
            success=outcome.success,
            final_answer=final_answer,
            ideas_recalled=outcome.ideas_recalled,
            ideas_total=outcome.ideas_total,
        )
        state = MemoryState(
            self.card_id,
            memory.state,
            memory.step,
            memory.stability,
            memory.difficulty,
            memory.due,
            memory.last_review,
            (prior is not None and prior.reconstructed) or outcome.success,
            run,
            today,
        )
        self.saved_review = desk.ledger.review(record, state, prior)
        desk.queue.reviewed(state, first=prior is None, whole=self.proof is not None)
        desk.figures.reviewed(today, outcome.success)
        return Finished(
            card_id=self.card_id,
            outcome=outcome,
            due=memory.due,
            streak=desk.figures.streak(),
            run=run,
            whole=self.proof is not None,
        )
