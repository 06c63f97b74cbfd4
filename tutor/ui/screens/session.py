"""Today's card: the prompt, the confusion timer, the hint ladder, the answer editor with its
live preview, the verdicts, the notes, and at the end the answer and what happens next.

The screen holds no study logic: every decision is the sitting's (`tutor.today.Sitting`).
Checks run in a thread worker, which waits on the checker's sandboxed process, and come back
as messages, so the timer keeps ticking and the keys keep working during a slow check.

Every action of the sitting (each one commits) runs on the app's writer thread
(`tutor.ui.writer`), never on the event loop, and the screen is updated once it has landed.
One action of the screen at a time, in order (`_turns`): a key's action awaits its write (a
second key waits for it, as Textual hands the app one key at a time); what the screen's own
messages bring (a verdict, an answer from the editor, the notes kept) and the save every few
seconds run in a worker in their turn, so that the screen's messages, its repaints among
them, go on during a slow commit. The save at quit waits for the actions before it.

No single keystroke changes a rating, reveals the answer or leaves the card:

- a verdict that ends the thinking (a right answer) while the learner is in the editor leaves
  the keys off until `escape` is pressed: letters typed on are dropped, never commands;
- Easy and reveal ask for a confirmation: the same key again within `CONFIRM_WINDOW` seconds,
  with no other action between (a hint, a note, another screen: the question lapses);
- undo (`u`) takes back the last rating or reveal until the next card begins.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static, TextArea

from tutor.deck.show import indent
from tutor.deck.text import inline_to_text, markdown_to_text
from tutor.study.schedule import Rating
from tutor.study.session import Locked, NotAllowed, Phase, format_countdown, format_elapsed
from tutor.ui.keys import key_of
from tutor.ui.text import block, inline, lines, plain
from tutor.ui.widgets.answer import AnswerEditor
from tutor.ui.widgets.attempts import Attempts
from tutor.ui.widgets.hints import HintPanel
from tutor.ui.widgets.ideas import IdeasChecklist
from tutor.ui.widgets.timer import ConfusionTimer
from tutor.ui.writer import Turns
from tutor.wording import count, summary

if TYPE_CHECKING:
    from tutor.check.verdict import Verdict
    from tutor.today import Finished, Sitting
    from tutor.ui.writer import Writer

T = TypeVar("T")

CONFIRM_WINDOW = 5.0
"""Seconds (of the learner's real time, `ui_time`) within which a second press confirms Easy
or reveal."""

SAVE_EVERY = 15.0
"""Seconds of active time between saves of the timer, so a crash loses at most this much."""


class Stage(Enum):
    THINKING = "thinking"
    """Working on the reconstruction."""
    ASSESSING = "assessing"
    """Comparing with the answer: which key ideas were there."""
    STEP_DONE = "step-done"
    """A whole proof: a step is done (and may be taken back), the next one waits."""
    OFFER_EASY = "offer-easy"
    """Done and rated Good: the learner may say it was easy before it is saved."""
    FINISHED = "finished"
    """Saved: the answer, why it matters, the rating, the next review."""


class SessionScreen(Screen[None]):
    CSS_PATH = "session.tcss"
    AUTO_FOCUS = "#editor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "hint", "Hint", id="hint"),
        Binding("r", "reveal", "Reveal", id="reveal"),
        Binding("c", "compare", "Compare", id="compare"),
        Binding("n", "notes", "Notes", id="notes"),
        Binding("a", "answer", "Answer", id="answer", show=False),
        Binding("ctrl+s", "submit", "Done", id="submit"),
        Binding("enter", "next", "Go on", id="next"),
        Binding("e", "easy", "Easy", id="easy"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("escape", "leave", "Keys on", id="leave"),
    ]

    class Judged(Message):
        """The checker's verdict on a submitted answer (posted from the worker)."""

        def __init__(self, answer: str, verdict: Verdict | None, error: str = "") -> None:
            super().__init__()
            self.answer, self.verdict, self.error = answer, verdict, error

    class Previewed(Message):
        """How an answer in the editor is read (posted from the worker)."""

        def __init__(self, answer: str, verdict: Verdict | None, error: str = "") -> None:
            super().__init__()
            self.answer, self.verdict, self.error = answer, verdict, error

    class Next(Message):
        """The card is finished and the learner goes on."""

    class NextStep(Message):
        """A whole proof: the learner went on to its next step (`Sitting.next_step`), which a
        fresh screen shows."""

        def __init__(self, sitting: Sitting) -> None:
            super().__init__()
            self.sitting = sitting

    def __init__(
        self,
        sitting: Sitting,
        *,
        writer: Writer,
        preview_delay: float = 0.6,
        ui_time: Callable[[], float] = time.monotonic,
        next_step: bool = False,
    ) -> None:
        """`ui_time`: the real time of keystrokes (a confirmation lapses on it), which a
        simulated study clock (TUTOR_CLOCK) does not move; tests inject their own.
        `next_step`: the screen of a whole proof's next step (not resumed: gone on to).
        `writer`: the app's writer, on whose thread every action of the sitting runs."""
        super().__init__()
        self.sitting = sitting
        self.writer = writer
        self._writing = False
        """An action of the sitting is running on the writer (it may change the sitting)."""
        self._quit_saved = False
        """The card was saved for quitting: nothing more is written."""
        self._failure: str | None = None
        """What the last write that failed said (for the line quitting leaves)."""
        self._turns = Turns()
        """Each action of the screen takes a turn, from its first look at the sitting to the
        screen updated after its write: actions never interleave, and keep the order of the
        keys and messages that brought them."""
        self.resumed = sitting.resumed and not next_step
        self.preview_delay = preview_delay
        self.ui_time = ui_time
        self.finished: Finished | None = None
        self.checking: str | None = None
        self.guarded = False
        """A verdict ended the thinking while the learner was typing: the keys stay off (what
        is typed on is dropped) until `escape`."""
        self._offered_easy = False
        self._preview_timer: Timer | None = None
        self._saved_at = sitting.session.active_seconds()
        self._confirming: tuple[str, float] | None = None
        """An action waiting for its second press, and until when (the sitting's clock)."""

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        sitting = self.sitting
        card, deck = sitting.card, sitting.deck
        kind = "review" if sitting.is_review else "new card"
        if self.resumed:
            kind += ", resumed"
        title = plain("The whole proof", "bold") if sitting.proof else inline(card.title, "bold")
        yield Static(
            Content.assemble(
                inline(deck.title, "$text-muted"),
                (" › ", "$text-muted"),
                title,
                (f"  ({sitting.kind}, {kind})", "$text-muted"),
            ),
            id="title",
        )
        with VerticalScroll(id="body"):
            if deck.is_proof:
                yield Static(self._statement(), id="statement")
            yield Static(block(card.prompt.source), id="prompt")
            if sitting.last_notes:
                yield Static(self._last_notes(), id="last-note")
            yield HintPanel(id="hints")
            yield Attempts(id="attempts")
            yield Static(id="next-step")
            yield Static(id="reference")
            yield IdeasChecklist(id="ideas")
            yield Static(id="outcome")
        yield ConfusionTimer(id="timer")
        yield AnswerEditor(id="editor")
        yield Static(id="preview")
        yield Static(id="confirm")
        yield Footer()

    def _statement(self) -> Content:
        sitting = self.sitting
        card, deck = sitting.card, sitting.deck
        parts: list[Content] = []
        if deck.intro is not None:
            statement = block(deck.intro.source)
            if not statement.plain.lstrip().lower().startswith("theorem"):
                parts.append(plain("Theorem", "bold"))
            parts += [statement, plain("")]
        if sitting.established:
            parts.append(plain("Established so far", "bold"))
            for step in sitting.established:
                parts.append(plain(f"{step.position + 1}. ") + inline(step.title))
                if step.answer is not None:
                    parts.append(plain(indent(markdown_to_text(step.answer.source), "   ")))
            parts.append(plain(""))
        step_line = f"Step {card.position + 1} of {len(deck.cards)}"
        if sitting.proof is None:
            parts.append(plain(step_line, "bold"))
            return lines(*parts)
        # the whole proof: the learner's own answers of this sitting, never the deck's
        rebuilt = [done for done in sitting.rebuilt if done.card.position < card.position]
        if rebuilt:
            parts.append(plain("Your steps so far", "bold"))
            for done in rebuilt:
                parts.append(plain(f"{done.card.position + 1}. ") + inline(done.card.title))
                if done.outcome.revealed:
                    parts.append(plain("   (revealed)"))
                elif done.answer:
                    parts.append(plain(indent(done.answer, "   ")))
            parts.append(plain(""))
        else:
            parts.append(plain("Rebuild the proof from the statement alone, one step at a time."))
            parts.append(plain(""))
        parts.append(plain(f"{step_line}: ", "bold") + inline(card.title, "bold"))
        return lines(*parts)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        editor = self.query_one(AnswerEditor)
        if self.sitting.session.draft:
            editor.text = self.sitting.session.draft
            editor.move_cursor(editor.document.end)
        if not self.sitting.card.checkable:
            editor.placeholder = "Your reconstruction, in words and formulas."
        self._show_preview_hint()
        self.refresh_view()
        if self.resumed and self.sitting.proof is not None:
            proof = self.sitting.proof
            self.notify(
                f"Resumed at step {proof.index + 1} of {len(self.sitting.deck.cards)}: "
                f"{format_elapsed(proof.active_seconds())} spent so far.",
                title="Welcome back",
            )
        elif self.resumed:
            session = self.sitting.session
            self.notify(
                f"Resumed: {format_elapsed(session.active_seconds())} spent so far, "
                f"{count(len(session.attempts), 'attempt')}, "
                f"{count(session.hints_shown, 'hint')} shown.",
                title="Welcome back",
            )

    # -- state ---------------------------------------------------------------------------------

    @property
    def stage(self) -> Stage:
        if self.finished is not None:
            return Stage.FINISHED
        phase = self.sitting.phase
        if phase is Phase.THINKING:
            return Stage.THINKING
        if phase is Phase.ASSESSING:
            return Stage.ASSESSING
        if phase is Phase.STEP_DONE:
            return Stage.STEP_DONE
        return Stage.OFFER_EASY

    @property
    def editing(self) -> bool:
        return isinstance(self.focused, AnswerEditor)

    def key(self, action: str) -> str:
        """The key of an action as the text on screen names it (remapped or not)."""
        return key_of(action, getattr(self.app, "user_keys", {}))

    def tick(self) -> None:
        """Once a second (and by tests after moving the clock): the timer and hint ladder, and
        every `SAVE_EVERY` seconds of thinking a save, in its turn (the tick does not wait for
        it; none is asked for while an action is under way, as the action saves). While the
        sitting is being written only the timer moves: a hint is shown once it is saved."""
        self._show_timer()
        self._lapse_confirm()
        if self._writing:
            return
        self._show_hints()
        self._show_next_step()
        session = self.sitting.session
        thinking = self.stage is Stage.THINKING
        if (
            thinking
            and not self._turns.busy
            and session.active_seconds() - self._saved_at >= SAVE_EVERY
        ):
            self._saved_at = session.active_seconds()
            self._in_turn(self._save_now)

    def _lapse_confirm(self) -> None:
        if self._confirming is not None and self._now() > self._confirming[1]:
            self._confirming = None
            self._show_confirm()

    def _show_timer(self) -> None:
        self.query_one(ConfusionTimer).show(
            self.sitting.session.remaining(),
            self.sitting.timer,
            thinking=self.stage is Stage.THINKING,
        )

    def _in_turn(self, act: Callable[[], Awaitable[None]]) -> None:
        """Run `act` in its turn (taken now), in a worker: for what the screen's own messages
        bring (a verdict, an answer from the editor) and the tick. The handler returns at once,
        so that the screen's messages (its repaints among them) go on during the write."""
        turn = self._turns.take()

        async def run() -> None:
            async with turn:
                if not self._quit_saved:  # after the save at quit, nothing more is written
                    await act()

        self.run_worker(run(), group="act")

    async def _save(self) -> bool:
        """Save the timer and everything else of the sitting (every few seconds while the card
        is open, and on quit): whether it was saved (or there was nothing to save). Called in
        its turn."""
        stage = self.stage
        if stage is Stage.THINKING or stage is Stage.ASSESSING:
            draft = self.query_one(AnswerEditor).text if stage is Stage.THINKING else None
            sitting = self.sitting

            def save() -> bool:
                if draft is not None:
                    sitting.keep_draft(draft)
                sitting.save()
                return True

            saved = await self._guard(save)
            self._saved_at = self.sitting.session.active_seconds()
            return saved is not None
        return True

    async def _save_now(self) -> None:
        await self._save()  # a failure is notified (`_guard`)

    async def leave(self) -> str:
        """Before quitting: save (after the action under way, and waiting for the write), and
        say what happens to the card."""
        async with self._turns.take():
            return await self._leave()

    async def _leave(self) -> str:
        self._quit_saved = True
        if self.stage is Stage.OFFER_EASY:
            await self._finish()
            return "saved" if self.finished is not None else self._not_saved()
        if self.stage is Stage.FINISHED:
            return "saved"
        if not await self._save():
            return self._not_saved()
        left = self.sitting.session.remaining()
        when = (
            f"with {format_countdown(left)} left on its timer"
            if left
            else "(its timer has run out)"
        )
        sitting = self.sitting
        if sitting.proof is not None:
            title = inline_to_text(sitting.deck.title)
            at = f"at step {sitting.proof.index + 1} of {len(sitting.deck.cards)} "
            return f"saved; the whole proof “{title}” resumes next time {at}{when}"
        title = inline_to_text(sitting.card.title)
        return f"saved; “{title}” resumes next time {when}"

    def _not_saved(self) -> str:
        """The line quitting leaves when its save failed (never "saved")."""
        why = self._failure or "the database could not be written"
        return f"not saved: {why}; the card resumes from its last save"

    def refresh_view(self) -> None:
        stage = self.stage
        sitting, card = self.sitting, self.sitting.card
        self._show_timer()
        self._lapse_confirm()
        self._show_hints()
        self._show_next_step()
        self.query_one(Attempts).show(sitting.session.attempts, checking=self.checking)
        editor = self.query_one(AnswerEditor)
        thinking = stage is Stage.THINKING
        editor.display = thinking
        self.query_one("#preview").display = thinking
        reference = self.query_one("#reference", Static)
        ideas = self.query_one(IdeasChecklist)
        outcome = self.query_one("#outcome", Static)
        reference.display = stage is not Stage.THINKING
        ideas.display = stage is Stage.ASSESSING
        outcome.display = stage in (Stage.STEP_DONE, Stage.OFFER_EASY, Stage.FINISHED)
        if stage is not Stage.THINKING:
            reference.update(self._reference())
        body = self.query_one("#body", VerticalScroll)
        if stage is Stage.ASSESSING:
            if ideas.option_count == 0:
                items = [inline(idea.source) for idea in card.key_ideas] or [
                    plain("My answer says what the reference answer says")
                ]
                ideas.set_ideas(items)
                ideas.border_title = f"Ideas you had: space ticks, {self.key('submit')} when done"
            if self.guarded:
                body.focus()
            elif self.focused is not ideas:
                ideas.focus()
                self.call_after_refresh(ideas.scroll_visible, animate=False)
        elif ideas.option_count:
            ideas.set_ideas([])  # a later comparison starts afresh
        self.query_one(ConfusionTimer).display = thinking
        if stage in (Stage.STEP_DONE, Stage.OFFER_EASY, Stage.FINISHED):
            outcome.update(self._outcome())
            if self.focused is None or not self.focused.display:
                body.focus()
            self.call_after_refresh(body.scroll_end, animate=False)
        elif thinking and (self.focused is None or not self.focused.display):
            editor.focus()
        self._show_next_step()
        self._show_confirm()
        self.refresh_bindings()

    def _reference(self) -> Content:
        card = self.sitting.card
        if self.sitting.proof is not None and self.stage is Stage.STEP_DONE:
            return self._step_done()
        if self.sitting.proof is not None and self.stage in (Stage.OFFER_EASY, Stage.FINISHED):
            return self._whole_proof()
        parts = []
        session = self.sitting.session
        attempts = session.attempts
        if self.stage is Stage.ASSESSING and session.snapshot().formula_correct:
            parts += [
                plain(
                    "✓ Your formula is right. Now the reasoning: which key ideas did you have?",
                    "bold $success",
                ),
                plain(""),
            ]
        elif attempts and attempts[-1].verdict != "correct":
            mine = "Your reconstruction" if not card.checkable else "Your answer"
            parts += [plain(mine, "bold"), plain(attempts[-1].answer), plain("")]
        parts.append(plain("Answer", "bold"))
        parts.append(
            block(card.answer.source) if card.answer else plain("(this card has no answer)")
        )
        if self.stage is Stage.ASSESSING:
            parts.append(plain(""))
            parts.append(plain("Compare it with your reconstruction.", "$text-muted"))
        return lines(*parts)

    def _step_done(self) -> Content:
        """A step of a whole proof just done: how it went; its answer only if it was
        revealed (or compared with it), since the next steps are rebuilt without it."""
        card, outcome = self.sitting.card, self.sitting.session.outcome()
        number = card.position + 1
        if outcome.success:
            helped = (
                " (with help: the proof is rated Hard at best)"
                if outcome.rating < Rating.GOOD
                else ""
            )
            return plain(f"✓ Step {number} rebuilt{helped}.", "bold $success")
        parts = [plain(f"✗ Step {number} is not rebuilt: the proof will be rated Again.", "bold")]
        if outcome.revealed or outcome.ideas_total is not None:
            parts += [plain(""), plain("Answer", "bold")]
            parts.append(
                block(card.answer.source) if card.answer else plain("(this step has no answer)")
            )
        return lines(*parts)

    def _whole_proof(self) -> Content:
        """The whole proof done: the proof as the deck writes it, step by step."""
        parts = [plain("The proof, step by step", "bold")]
        for step in self.sitting.deck.cards:
            parts.append(plain(f"{step.position + 1}. ") + inline(step.title))
            if step.answer is not None:
                parts.append(plain(indent(markdown_to_text(step.answer.source), "   ")))
        return lines(*parts)

    def _outcome(self) -> Content:
        card = self.sitting.card
        parts: list[Content] = []
        if self.stage is Stage.STEP_DONE:
            total = len(self.sitting.deck.cards)
            go_on = f"Press {self.key('next')} to go on to step {card.position + 2} of {total}"
            if self.sitting.can_undo:
                what = "reveal" if self.sitting.session.outcome().revealed else "step"
                go_on += f"; {self.key('undo')} takes back this {what}"
            return plain(go_on + ".", "bold")
        if card.why is not None and self.sitting.proof is None:
            parts += [plain("Why it matters", "bold"), block(card.why.source), plain("")]
        if self.finished is None:
            parts.append(
                plain(
                    f"Rated Good. If it was easy, press {self.key('easy')} (it asks first); "
                    f"{self.key('next')} keeps Good.",
                    "bold",
                )
            )
            return lines(*parts)
        finished = self.finished
        parts.append(plain(summary(self.sitting.desk, finished), "bold"))
        missed = [done.card for done in self.sitting.rebuilt if not done.outcome.success]
        if self.sitting.proof is not None and missed:
            names = ", ".join(f"{step.position + 1} ({step.id})" for step in missed)
            parts.append(
                plain(
                    f"Steps not rebuilt: {names}: worth a look in the decks "
                    f"({self.key('decks')}) before the proof comes back.",
                    "$text-muted",
                )
            )
        elif finished.outcome.rating is Rating.AGAIN and card.requires:
            names = ", ".join(card.requires)
            parts.append(
                plain(
                    f"It stands on {names}: worth a look in the decks ({self.key('decks')}) "
                    "before it comes back.",
                    "$text-muted",
                )
            )
        go_on = f"Press {self.key('next')} to go on"
        if self.sitting.can_undo:
            # a whole proof: undo takes back its last step's rating or reveal
            last = self.sitting.session.outcome() if self.sitting.proof else finished.outcome
            what = "reveal" if last.revealed else "rating"
            go_on += f"; {self.key('undo')} takes back this {what}"
        parts.append(plain(go_on + ".", "$text-muted"))
        return lines(*parts)

    def _guard_line(self) -> str:
        return (
            f"Checked while you typed: keys are off until {self.key('leave')} (typing is dropped)."
        )

    def _show_next_step(self) -> None:
        """Under the verdict: after an undecided answer or a self-assessed attempt, the
        learner may try again, and compare with the answer once the timer has run out."""
        step = self.query_one("#next-step", Static)
        session = self.sitting.session
        shown = (
            self.stage is Stage.THINKING and session.awaiting_comparison and bool(session.attempts)
        )
        step.display = shown
        if not shown:
            return
        target = "the answer" if self.sitting.card.checkable else "the key ideas"
        again = "rewrite it and submit again" if self.sitting.card.checkable else "rewrite it"
        compare = self.key("compare")
        if session.locked:
            text = (
                f"You may {again}. Once the timer runs out (in "
                f"{format_countdown(session.remaining())}), {compare} compares it with {target}."
            )
        else:
            text = f"You may {again}, or press {compare} to compare it with {target}."
        step.update(plain(text, "$text-muted"))

    def _show_confirm(self) -> None:
        line = self.query_one("#confirm", Static)
        pending = self._confirming[0] if self._confirming is not None else None
        if pending == "reveal":
            text = (
                f"Press {self.key('reveal')} again to reveal the answer "
                "(the card will count as not known)."
            )
        elif pending == "easy":
            text = f"Press {self.key('easy')} again to rate this card Easy (it comes back later)."
        elif self.guarded:
            text = self._guard_line()
        else:
            text = ""
        line.display = bool(text)
        line.update(plain(text, "bold $warning"))

    def _show_hints(self) -> None:
        sitting = self.sitting
        session = sitting.session
        self.query_one(HintPanel).show(
            [hint.source for hint in sitting.card.hints[: session.hints_shown]],
            len(sitting.card.hints),
            wait=session.next_hint_in(),
            locked=session.locked,
            thinking=self.stage is Stage.THINKING,
            bottomed_out=session.bottomed_out,
            key=self.key("hint"),
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which keys apply now (False hides a key from the footer and disables it; None
        shows it disabled)."""
        stage = self.stage
        if self.guarded:  # typed on after a verdict: nothing but escape acts
            return action == "leave"
        if action == "leave":
            return False  # the editor's own escape leaves it
        if action == "compare":
            return not self.editing and self.sitting.session.awaiting_comparison
        if action == "undo":
            done = (Stage.STEP_DONE, Stage.OFFER_EASY, Stage.FINISHED)
            return stage in done and self.sitting.can_undo
        if action == "hint":
            session = self.sitting.session
            more = session.hints_shown < len(self.sitting.card.hints)
            return not self.editing and stage is Stage.THINKING and more
        if action in ("reveal", "answer"):
            return not self.editing and stage is Stage.THINKING
        if action == "notes":
            return not self.editing
        if action == "submit":
            return stage is Stage.ASSESSING
        if action == "easy":
            return stage is Stage.OFFER_EASY
        if action == "next":
            return stage in (Stage.STEP_DONE, Stage.OFFER_EASY, Stage.FINISHED)
        return True

    # -- actions -------------------------------------------------------------------------------

    async def action_hint(self) -> None:
        async with self._turns.take():
            self._cancel_confirm()
            sitting = self.sitting
            if sitting.session.hints_shown >= len(sitting.card.hints):
                self.notify(f"No hints left; {self.key('reveal')} shows the answer.")
                return
            wait = sitting.session.next_hint_in()
            if sitting.session.hints_shown and 0 < wait < math.inf:
                self.notify(f"The next hint unlocks in {format_countdown(wait)}.")
                return
            if await self._guard(sitting.take_hint) is not None:
                self.refresh_view()
                self.query_one(HintPanel).scroll_visible()
                await self._after_action()

    def _now(self) -> float:
        return self.ui_time()

    def _confirmed(self, action: str) -> bool:
        """The second press of `action` within the window: go ahead. The first: ask."""
        pending = self._confirming
        if pending is not None and pending[0] == action and self._now() <= pending[1]:
            self._confirming = None
            self._show_confirm()
            return True
        self._confirming = (action, self._now() + CONFIRM_WINDOW)
        self._show_confirm()
        return False

    def _cancel_confirm(self) -> None:
        if self._confirming is not None:
            self._confirming = None
            self._show_confirm()

    async def action_reveal(self) -> None:
        async with self._turns.take():
            session = self.sitting.session
            if session.phase is Phase.THINKING and session.locked:
                self._cancel_confirm()
                self.notify(f"The answer unlocks in {format_countdown(session.remaining())}.")
                return
            if self._confirmed("reveal") and await self._do(self.sitting.reveal):
                await self._after_action()

    async def action_compare(self) -> None:
        async with self._turns.take():
            self._cancel_confirm()
            if await self._do(self.sitting.compare):
                self.refresh_view()

    async def action_undo(self) -> None:
        async with self._turns.take():
            self._cancel_confirm()
            if await self._do(self.sitting.undo):
                self.finished = None
                self._offered_easy = False
                self.refresh_view()
                if self.stage is Stage.THINKING:
                    self.query_one(AnswerEditor).focus()
                what = "step" if self.sitting.proof is not None else "card"
                self.notify(f"Taken back: the {what} is open again.")

    def action_leave(self) -> None:
        """Keys on again after a verdict that came while the learner typed."""
        if self.guarded:
            self.guarded = False
            self.refresh_view()

    def action_answer(self) -> None:
        self._cancel_confirm()
        self.query_one(AnswerEditor).focus()

    def on_screen_suspend(self) -> None:
        """Another screen over this one (stats, decks, notes, the palette): a first press of
        reveal or Easy lapses, so that the second press confirms only what was just asked."""
        self._cancel_confirm()

    def _last_notes(self) -> Content:
        """Last time's notes that still confuse the learner, each with its date."""
        from tutor.ui.screens.notes import note_date

        notes = self.sitting.last_notes
        if not notes:
            return plain("Every note from last time is resolved.", "$text-muted")
        head = "Your note from last time" if len(notes) == 1 else "Your notes from last time"
        parts = [plain(f"{head} ({self.key('notes')} to resolve):", "bold")]
        zone = self.sitting.desk.zone
        parts += [plain(f"  {note_date(note, zone)} · {note.text}") for note in notes]
        return lines(*parts)

    def action_notes(self) -> None:
        self._cancel_confirm()
        from tutor.ui.screens.notes import NotesResult, NotesScreen

        async def kept(result: NotesResult) -> None:
            for note in result.resolved:
                if await self._do(self.sitting.resolve_note, note):
                    self.notify(f"Resolved: “{note.text}” will not come back.")
            if result.text.strip() and await self._do(self.sitting.add_note, result.text):
                self.notify("Note saved; it comes back with the card.")
            if result.resolved:
                shown = self.query("#last-note")
                if shown:
                    shown.first(Static).update(self._last_notes())

        def keep(result: NotesResult | None) -> None:
            if result is not None:
                self._in_turn(lambda: kept(result))

        screen = NotesScreen(self.sitting.last_notes, self.sitting.notes, self.sitting.desk.zone)
        self.app.push_screen(screen, keep)

    async def action_submit(self) -> None:
        async with self._turns.take():
            self._cancel_confirm()
            if self.stage is Stage.ASSESSING:
                chosen = set(self.query_one(IdeasChecklist).ticked)
                if await self._do(self.sitting.assess, chosen):
                    await self._after_action()
            elif self.stage is Stage.THINKING:
                await self._submit(self.query_one(AnswerEditor).text)

    async def action_easy(self) -> None:
        async with self._turns.take():
            if self.stage is not Stage.OFFER_EASY or not self._confirmed("easy"):
                return
            if await self._do(self.sitting.upgrade_to_easy):
                await self._finish()

    async def action_next(self) -> None:
        async with self._turns.take():
            self._cancel_confirm()
            if self.stage is Stage.STEP_DONE:
                if await self._do(self.sitting.next_step):
                    self.post_message(self.NextStep(self.sitting))
            elif self.stage is Stage.OFFER_EASY:
                await self._finish()
            elif self.stage is Stage.FINISHED:
                self.post_message(self.Next())

    # -- the answer editor ---------------------------------------------------------------------

    @on(AnswerEditor.Submitted)
    def _submitted(self, message: AnswerEditor.Submitted) -> None:
        message.stop()
        self._in_turn(lambda: self._submit(message.text))

    @on(AnswerEditor.Left)
    def _left(self, message: AnswerEditor.Left) -> None:
        message.stop()
        self.query_one("#body").focus()

    async def _submit(self, text: str) -> None:
        """Submit an answer: a machine-checked one is judged in a worker (`Judged` comes back),
        a self-assessed one is recorded at once. Called in its turn."""
        if not text.strip():
            self.notify("Write your reconstruction first.")
            return
        if self.checking is not None:
            self.notify("Still checking the last answer…")
            return
        if not self.sitting.card.checkable:
            await self._record(text, None)
            return
        self.checking = text
        self.query_one(Attempts).show(self.sitting.session.attempts, checking=text)
        self.run_worker(
            lambda: self._judge(text, self.Judged), thread=True, group="check", exit_on_error=False
        )

    def _judge(self, text: str, reply: type[Judged | Previewed]) -> None:
        """In a worker thread: the checker judges the answer in its sandboxed process, and the
        verdict comes back as a `reply` message (a failure of that process too, as its error)."""
        try:
            verdict = self.sitting.judge(text)
        except Exception as exc:
            self.post_message(reply(text, None, error=str(exc) or type(exc).__name__))
            return
        self.post_message(reply(text, verdict))

    @on(Judged)
    def _judged(self, message: Judged) -> None:
        self._in_turn(lambda: self._verdict(message))

    async def _verdict(self, message: Judged) -> None:
        """The checker's verdict, in its turn: recorded (on the writer), then shown."""
        self.checking = None
        if message.verdict is None:
            self.notify(f"The answer could not be checked: {message.error}", severity="error")
            self.refresh_view()
            return
        await self._record(message.answer, message.verdict)

    async def _record(self, text: str, verdict: Verdict | None) -> None:
        typing = self.editing
        if await self._do(self.sitting.submit, text, verdict):
            # typed on after the verdict: letters go on into the editor while the card stays
            # open, and are dropped (never commands) until escape when it does not
            self.guarded = typing and self.stage is not Stage.THINKING
            if self.stage is Stage.THINKING:
                self.query_one(AnswerEditor).focus()
            await self._after_action()
        else:
            self.refresh_view()

    @on(TextArea.Changed, "#editor")
    def _edited(self, message: TextArea.Changed) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        if self.sitting.card.checkable:
            self._preview_timer = self.set_timer(max(self.preview_delay, 0.01), self._start_preview)

    def _start_preview(self) -> None:
        text = self.query_one(AnswerEditor).text
        if not text.strip():
            self._show_preview_hint()
            return
        self.run_worker(
            lambda: self._judge(text, self.Previewed),
            thread=True,
            group="preview",
            exit_on_error=False,
        )

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        if message.answer != self.query_one(AnswerEditor).text:
            return  # the learner typed on; a newer preview is coming
        preview = self.query_one("#preview", Static)
        verdict = message.verdict
        if verdict is None:
            preview.update(plain(f"no preview: {message.error}", "$text-muted"))
        elif verdict.verdict == "invalid":
            preview.update(plain("cannot read this yet: ", "$warning") + plain(verdict.feedback))
        elif verdict.read_as:
            preview.update(plain("read as: ", "$text-muted") + plain(verdict.read_as))
        else:
            self._show_preview_hint()

    def _show_preview_hint(self) -> None:
        preview = self.query_one("#preview", Static)
        submit, leave = self.key("submit"), self.key("leave")
        if self.sitting.card.checkable:
            text = f"How your answer is read shows here · {submit} submits · {leave} leaves"
        else:
            text = (
                f"You judge this one: {submit}, then {self.key('compare')} compares with the "
                f"key ideas after the timer · {leave} leaves"
            )
        preview.update(plain(text, "$text-muted"))

    # -- after each action ---------------------------------------------------------------------

    async def _after_action(self) -> None:
        if self.stage is Stage.OFFER_EASY:
            outcome = self.sitting.outcome()
            if outcome.rating is not Rating.GOOD or self._offered_easy:
                await self._finish()
                return
            self._offered_easy = True
        self.refresh_view()

    async def _finish(self) -> None:
        finished = await self._guard(self.sitting.finish)
        if finished is not None:
            self.finished = finished
        self.refresh_view()

    async def _guard(self, action: Callable[..., T], *args: Any) -> T | None:
        """Run a sitting's action on the writer's thread and wait for it (the loop goes on);
        a refusal or a failure to save becomes a notification. Returns the action's result,
        or None when it did not happen. Called in its turn."""
        from tutor.store.errors import StoreError
        from tutor.today import NotSaved

        try:
            self._writing = True
            try:
                return await self.writer.run(action, *args)
            finally:
                self._writing = False
        except Locked as locked:
            self.notify(str(locked).capitalize() + ".")
        except NotAllowed as refused:
            self.notify(str(refused).capitalize() + ".")
        except StoreError as failed:
            self._failure = str(failed)
            self.notify(f"Not saved: {failed}", severity="error", timeout=10)
            if isinstance(failed, NotSaved):  # the sitting was reloaded from the database
                self.refresh_view()
        return None

    async def _do(self, action: Callable[..., object], *args: Any) -> bool:
        """Run a sitting's action that returns nothing, as `_guard`: True if it happened."""

        def act() -> bool:
            action(*args)
            return True

        return await self._guard(act) is not None
