"""`tutor study --plain`: today's session as plain lines, for screen readers and scripts.

Reads standard input line by line (pipes included). A line is an answer attempt; a line starting
with `:` is a command (`:help` lists them). Output is plain text with math as Unicode, one fact a
line, no colours or cursor movement. End of input saves and quits like `:quit`.

All study logic lives in `tutor.today`; this module only turns lines into its calls and its
results into lines.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TextIO

from tutor.check.clean import storable, strip_controls
from tutor.deck.duration import DurationError, format_duration, parse_duration
from tutor.deck.show import indent
from tutor.deck.text import inline_to_text, markdown_to_text
from tutor.study.clock import ManualClock
from tutor.study.schedule import Rating
from tutor.study.session import Locked, NotAllowed, Phase, format_countdown, format_elapsed
from tutor.today import Desk, Finished, NotSaved, Sitting
from tutor.wording import days, summary, when

HELP = """\
Type your answer on one line and press Enter to have it checked; you may try as often as you like.
Commands:
  :hint         the next hint (hints unlock when the confusion timer runs out)
  :reveal       show the answer (unlocks with the hints; the card then counts as not known;
                asks you to type it twice)
  :compare      compare your reconstruction with the answer, once the timer has run out (a
                card you judge yourself, or an answer the checker could not decide)
  :note TEXT    write down what confuses you; it is shown when the card comes back
  :resolve N    mark note N from last time resolved: it stops coming back
  :ideas 1,3    after comparing with the answer: the key ideas you recalled (:ideas none)
  :easy         after a card rated Good: rate it Easy instead (asks to confirm)
  :undo         right after a card (or a step of a whole proof) is rated or revealed: take
                it back, until the next one begins
  :time         how long the confusion timer has left
  :quit         save and stop; the card resumes where its timer was (so does end of input)
  :help         this list"""


class Lines:
    """Input lines, with one line of look-ahead that can be put back."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._back: list[str] = []

    def next(self) -> str | None:
        if self._back:
            return self._back.pop()
        line = self._stream.readline()
        if not line:
            return None
        return storable(line.rstrip("\r\n"))  # bytes that were not UTF-8: U+FFFD

    def put_back(self, line: str) -> None:
        self._back.append(line)

    @property
    def waiting(self) -> bool:
        """A line was put back: reading it needs no prompt (it was prompted for already)."""
        return bool(self._back)


class PlainSession:
    """Runs today's session between a desk and a pair of text streams."""

    def __init__(self, desk: Desk, stdin: TextIO, stdout: TextIO, *, prompt: bool = False) -> None:
        self.desk = desk
        self.lines = Lines(stdin)
        self.out = stdout
        self.prompt = prompt
        self._shown: Callable[[], None] | None = None
        self._gathered: list[str] | None = None

    def say(self, text: str = "") -> None:
        line = strip_controls(text) + "\n"
        if self._gathered is not None:
            self._gathered.append(line)
            return
        self.out.write(line)
        self.out.flush()

    @contextlib.contextmanager
    def _at_once(self) -> Iterator[None]:
        """The lines said inside written together (a card is one write, not one a line)."""
        if self._gathered is not None:
            yield
            return
        self._gathered = []
        try:
            yield
        finally:
            gathered, self._gathered = self._gathered, None
            self.out.write("".join(gathered))
            self.out.flush()

    def run(self, first: Sitting | None = None, *, shown: Callable[[], None] | None = None) -> int:
        """Today's session. `first`: the day's first card, read on the quick path
        (`Desk.quick_sitting`, which finds the decks synced already), shown before the store
        is opened; `shown` is called once it is on the screen (to open the store behind it)."""
        self._shown = shown
        if first is None:
            self.desk.sync()
        for notice in self.desk.notices:
            self.say(f"note: {notice}")
        self.desk.notices.clear()
        studied = 0
        one_more = False
        while True:
            sitting: Sitting | None = first
            if first is not None:
                first = None
            else:
                sitting = self.desk.next_sitting(one_more=one_more)
            for notice in self.desk.notices:
                self.say(f"note: {notice}")
            self.desk.notices.clear()
            if sitting is None:
                one_more = not one_more and self.offer_one_more()
                if not one_more:
                    break
                continue
            one_more = False
            finished = self.study(sitting)
            if finished is None:
                return 0  # quit: saved
            studied += 1
        self.closing(studied)
        return 0

    # -- one card -----------------------------------------------------------------------------

    def study(self, sitting: Sitting) -> Finished | None:
        try:  # a signal as the card is being shown saves it too
            self.show_card(sitting)
            shown, self._shown = self._shown, None
            if shown is not None:
                shown()
            return self._study(sitting)
        except KeyboardInterrupt:  # ctrl+c, or SIGTERM/SIGHUP (see cli._study): save, then go
            self.quit(sitting)
            raise

    def _study(self, sitting: Sitting) -> Finished | None:
        """One card until it is done (or the learner quits). A write that fails reloads the
        card from the database (`NotSaved`): one line says what was kept, and the card goes on
        from there."""
        while True:
            while sitting.phase is not Phase.DONE:
                try:
                    if sitting.phase is Phase.STEP_DONE:  # a whole proof, between two steps
                        if not self.between_steps(sitting):
                            self.quit(sitting)
                            return None
                        continue
                    line = self.read()
                    if line is None or not self.handle(sitting, line):
                        self.quit(sitting)
                        return None
                except NotSaved as failed:
                    self.say(f"not saved: {failed}")
            try:
                finished = self.finish(sitting)
            except NotSaved as failed:
                self.say(f"not saved: {failed}")
                if not self.try_again():
                    self.quit(sitting)
                    return None
                continue
            if finished is None:
                continue  # undone before it was saved: the card is open again
            try:
                if not self.after_card(sitting):
                    return finished
            except NotSaved as failed:  # the undo was not saved: the review stands
                self.say(f"not saved: {failed}")
                return finished
            self.say("Undone: the card is open again, as it was before.")

    def try_again(self) -> bool:
        """After the card's review could not be saved: True to try again."""
        self.say("(press Enter to try again; :quit stops, and the card resumes next time)")
        line = self.read()
        return line is not None and line.strip().lower() not in (":quit", ":q", ":exit")

    def after_card(self, sitting: Sitting) -> bool:
        """Between a finished card and the next one: True if the learner undoes the card. A
        line that is not a command is not carried over to the next card as an attempt."""
        self.say("(:undo takes this back; any other line goes on to the next card)")
        line = self.read()
        if line is None:
            return False
        if line.strip().lower() == ":undo":
            sitting.undo()
            return True
        if line.strip().startswith(":"):
            self.lines.put_back(line)  # :quit, :help… apply to what comes next
        elif line.strip():
            self.say("(that line was typed before the next card was shown: it is not an attempt)")
        return False

    def between_steps(self, sitting: Sitting) -> bool:
        """A step of a whole proof is done: its answer if it was revealed, then on to the next
        step, unless the learner undoes it. False to stop (quit, end of input)."""
        step = sitting.card
        outcome = sitting.session.outcome()
        if outcome.revealed and step.answer is not None:
            self.say("Answer:")
            self.show_answer(sitting)
        next_one = f"step {step.position + 2} of {len(sitting.deck.cards)}"
        if sitting.can_undo:
            self.say(f"(:undo takes this back; any other line goes on to {next_one})")
        else:  # done before the learner came back
            self.say(f"(any line goes on to {next_one})")
        line = self.read()
        if line is None:
            return False
        text = line.strip().lower()
        if text == ":undo":
            if not sitting.can_undo:
                self.say("there is nothing to undo: the step was done before you came back")
                return True
            sitting.undo()
            self.say("Undone: the step is open again, as it was before.")
            self.show_step(sitting)
            return True
        if text in (":quit", ":q", ":exit"):
            return False
        if text.startswith(":"):
            self.lines.put_back(line)  # :help, :note… apply to the next step
        elif text:
            self.say("(that line was typed before the next step was shown: it is not an attempt)")
        sitting.next_step()
        self.say("")
        self.show_step(sitting)
        return True

    def read(self) -> str | None:
        if self.prompt and not self.lines.waiting:
            self.out.write("> ")
            self.out.flush()
        return self.lines.next()

    def show_card(self, sitting: Sitting) -> None:
        with self._at_once():
            self._show_card(sitting)

    def _show_card(self, sitting: Sitting) -> None:
        if sitting.proof is not None:
            self.show_whole_proof(sitting)
            return
        card, deck = sitting.card, sitting.deck
        self.say(f"{inline_to_text(deck.title)} › {inline_to_text(card.title)}")
        kind = "review" if sitting.is_review else "new card"
        self.say(f"{card.kind}, {kind}; id {card.id}")
        if deck.is_proof:
            if deck.intro is not None:
                self.say("")
                self.say("Theorem:")
                self.say(indent(markdown_to_text(deck.intro.source)))
            if sitting.established:
                self.say("")
                self.say("Established so far:")
                for step in sitting.established:
                    self.say(f"  {step.position + 1}. {inline_to_text(step.title)}")
                    if step.answer is not None:
                        self.say(indent(markdown_to_text(step.answer.source), "     "))
            self.say("")
            self.say(f"Step {card.position + 1} of {len(deck.cards)}:")
        self.say("")
        self.say(indent(markdown_to_text(card.prompt.source)))
        self.say("")
        if sitting.last_notes:
            self.say("Your notes from last time (:resolve N when one no longer confuses you):")
            for n, note in enumerate(sitting.last_notes, 1):
                self.say(f"  {n}. {self.note_date(note.written_at)}: {note.text}")
        session = sitting.session
        if sitting.resumed:
            self.say(
                f"Resumed: {format_elapsed(session.active_seconds())} spent so far, "
                f"{len(session.attempts)} attempt(s), {session.hints_shown} hint(s) shown."
            )
            self.show_hints(sitting)
        self.show_open(
            sitting,
            timer=". Sit with the question; hints and the answer unlock when it runs out.",
            what="your reconstruction",
        )

    def show_hints(self, sitting: Sitting) -> None:
        for n in range(sitting.session.hints_shown):
            self.say(f"hint {n + 1}: {markdown_to_text(sitting.card.hints[n].source)}")

    def show_open(self, sitting: Sitting, *, timer: str, what: str) -> None:
        """The assessment when one is under way; else the timer and how to answer."""
        session, card = sitting.session, sitting.card
        if sitting.phase is Phase.ASSESSING:
            self.show_assessment(sitting)
            return
        if session.locked:
            self.say(
                f"Confusion timer: {format_countdown(session.remaining())}{timer} "
                "Answer at any time."
            )
        else:
            self.say("The confusion timer has run out: :hint and :reveal are open.")
        how = "checked by machine" if card.checkable else "compared by you with the key ideas"
        self.say(f"Type {what} on one line ({how}), or :help.")

    def show_whole_proof(self, sitting: Sitting) -> None:
        """A whole-proof card: the statement alone, then the steps one at a time, each
        announced with its id (`Step 2 of 4: Title; id step-id`) so that scripts can follow."""
        deck = sitting.deck
        self.say(f"{inline_to_text(deck.title)} › the whole proof")
        kind = "review" if sitting.is_review else "new card"
        self.say(f"proof, {kind}; id {sitting.card_id}; {len(deck.cards)} steps")
        if deck.intro is not None:
            self.say("")
            self.say("Theorem:")
            self.say(indent(markdown_to_text(deck.intro.source)))
        self.say("")
        self.say(
            "Rebuild the proof from the statement alone, one step at a time: each step is "
            "checked as it is on its own, with its hints; one confusion timer for the whole "
            f"proof ({format_countdown(sitting.timer)})."
        )
        if sitting.last_notes:
            self.say("")
            self.say("Your notes from last time (:resolve N when one no longer confuses you):")
            for n, note in enumerate(sitting.last_notes, 1):
                self.say(f"  {n}. {self.note_date(note.written_at)}: {note.text}")
        proof = sitting.proof
        assert proof is not None
        if sitting.resumed:
            self.say(
                f"Resumed at step {proof.index + 1} of {len(deck.cards)}: "
                f"{format_elapsed(proof.active_seconds())} spent so far."
            )
            rebuilt = sitting.rebuilt
            if rebuilt:
                self.say("Your steps so far:")
                for done in rebuilt:
                    self.say(f"  {done.card.position + 1}. {inline_to_text(done.card.title)}")
                    if done.outcome.revealed:
                        self.say("     (revealed)")
                    elif done.answer:
                        self.say(indent(done.answer, "     "))
        if sitting.phase is Phase.STEP_DONE:
            return  # the step just done waits to be left (`between_steps`)
        self.say("")
        self.show_step(sitting)

    def show_step(self, sitting: Sitting) -> None:
        """One step of a whole proof: its number, title and id, its question, the timer."""
        card, session = sitting.card, sitting.session
        total = len(sitting.deck.cards)
        self.say(f"Step {card.position + 1} of {total}: {inline_to_text(card.title)}; id {card.id}")
        self.say(indent(markdown_to_text(card.prompt.source)))
        self.say("")
        if session.hints_shown or session.attempts:
            self.say(
                f"On this step: {len(session.attempts)} attempt(s), "
                f"{session.hints_shown} hint(s) shown."
            )
            self.show_hints(sitting)
        self.show_open(
            sitting,
            timer=" left for the proof; hints and answers unlock when it runs out.",
            what="your reconstruction of this step",
        )

    def handle(self, sitting: Sitting, line: str) -> bool:
        """Act on one line; False to stop (quit)."""
        text = line.strip()
        if not text:
            return True
        if not text.startswith(":"):
            self.submit(sitting, text)
            return True
        command, _, rest = text[1:].partition(" ")
        command, rest = command.lower(), rest.strip()
        try:
            if command in ("quit", "q", "exit"):
                return False
            if command == "help":
                self.say(HELP + self.wait_help())
            elif command == "hint":
                self.hint(sitting)
            elif command == "reveal":
                self.reveal(sitting)
            elif command == "compare":
                sitting.compare()
                self.show_assessment(sitting)
            elif command == "undo":
                self.say("there is nothing to undo: :undo takes back a card once it is rated")
            elif command == "note":
                if rest:
                    sitting.add_note(rest)
                    self.say("note saved")
                else:
                    self.say("usage: :note TEXT")
            elif command == "resolve":
                self.resolve(sitting, rest)
            elif command == "ideas":
                self.ideas(sitting, rest)
            elif command == "easy":
                self.say("a card can be rated Easy once it is done and rated Good")
            elif command == "time":
                self.time(sitting)
            elif command == "wait" and isinstance(self.desk.clock, ManualClock):
                self.wait(rest)
            else:
                self.say(f"unknown command :{command} (type :help)")
        except Locked as locked:
            self.say(str(locked))
        except NotAllowed as refused:
            self.say(str(refused))
        return True

    def reveal(self, sitting: Sitting) -> None:
        """The answer, after a confirmation: a card revealed counts as not known."""
        if sitting.phase is Phase.THINKING and sitting.session.locked:
            sitting.reveal()  # refused with the time left
        self.say("Reveal the answer? The card will count as not known. Type :reveal to confirm.")
        line = self.read()
        if line is not None and line.strip().lower() == ":reveal":
            sitting.reveal()
        else:
            self.say("not revealed")
            if line is not None:
                self.lines.put_back(line)

    def submit(self, sitting: Sitting, answer: str) -> None:
        if sitting.phase is Phase.ASSESSING:
            self.say("compare with the answer, then say which key ideas you recalled: :ideas 1,3")
            return
        verdict = sitting.submit(answer)
        if verdict is None:
            self.say(
                "kept. Compare it with the answer once the confusion timer has run out: "
                + self.compare_when(sitting)
            )
            return
        line = verdict.verdict
        if verdict.feedback and verdict.feedback.strip(" .").lower() != verdict.verdict:
            line += f": {verdict.feedback}"
        self.say(line)
        if verdict.read_as and verdict.verdict in ("incorrect", "undecided"):
            self.say(f"  read as: {verdict.read_as}")
        if verdict.verdict == "undecided":
            self.say(
                "You may try again, or compare with the answer yourself: "
                + self.compare_when(sitting)
            )
        if sitting.session.phase is Phase.ASSESSING:
            if verdict.verdict == "correct":
                self.say("Now the reasoning: compare it with the key ideas.")
            self.show_assessment(sitting)

    def compare_when(self, sitting: Sitting) -> str:
        left = sitting.session.remaining()
        return f":compare (in {format_countdown(left)})" if left else ":compare (open now)"

    def show_assessment(self, sitting: Sitting) -> None:
        card = sitting.card
        self.say("")
        self.say("Answer:")
        self.show_answer(sitting)
        if card.key_ideas:
            self.say("Key ideas:")
            for n, idea in enumerate(card.key_ideas, 1):
                self.say(f"  {n}. {markdown_to_text(idea.source)}")
            self.say("Which did your reconstruction have? :ideas 1,3 (or :ideas none)")
        else:
            self.say("Was your answer right? :ideas 1 if it was, :ideas none if not")

    def show_answer(self, sitting: Sitting) -> None:
        answer = sitting.card.answer
        self.say(
            indent(markdown_to_text(answer.source)) if answer else "  (this card has no answer)"
        )

    def hint(self, sitting: Sitting) -> None:
        if sitting.phase is not Phase.THINKING:
            self.say("hints are for while you are working on the card")
            return
        if sitting.session.hints_shown >= len(sitting.card.hints):
            self.say("there are no more hints; :reveal shows the answer")
            return
        last = (
            len(sitting.card.hints) >= 2
            and sitting.session.hints_shown == len(sitting.card.hints) - 1
        )
        if last and sitting.session.next_hint_in() == 0:
            self.say(
                "The next hint is the last one: it all but gives the answer, and the card will "
                "count as not yet known. Type :hint to take it."
            )
            line = self.read()
            if line is None or line.strip().lower() != ":hint":
                self.say("not taken")
                if line is not None:
                    self.lines.put_back(line)
                return
        source = sitting.take_hint()
        shown = sitting.session.hints_shown
        total = len(sitting.card.hints)
        self.say(f"hint {shown} of {total}: {markdown_to_text(source)}")
        if sitting.session.bottomed_out:
            self.say("(that was the last hint: this card will count as not yet known)")

    def ideas(self, sitting: Sitting, rest: str) -> None:
        if sitting.phase is not Phase.ASSESSING:
            self.say("submit your reconstruction first; then compare it with the answer")
            return
        total = len(sitting.card.key_ideas) or 1
        if not rest.strip():  # said nothing yet: not taken as "none recalled" (rated Again)
            self.say("usage: :ideas 1,3 (numbers of the key ideas you recalled), or :ideas none")
            return
        if rest.lower() in ("none", "0", "-"):
            sitting.assess(set())
            return
        if rest.lower() == "all":
            sitting.assess(set(range(total)))
            return
        try:
            chosen = {int(part) for part in rest.replace(",", " ").split()}
        except ValueError:
            self.say("usage: :ideas 1,3 (numbers of the key ideas you recalled), or :ideas none")
            return
        if any(not 1 <= n <= total for n in chosen):
            self.say(f"key ideas are numbered 1 to {total}")
            return
        sitting.assess({n - 1 for n in chosen})

    def note_date(self, instant: datetime) -> str:
        return instant.astimezone(self.desk.zone).strftime("%a %d %b %Y")

    def resolve(self, sitting: Sitting, rest: str) -> None:
        notes = sitting.last_notes
        if not notes:
            self.say("there are no notes from last time to resolve")
            return
        number = int(rest) if rest.isascii() and rest.isdigit() and len(rest) < 7 else 0
        if not 1 <= number <= len(notes):  # "²" is a digit to Python, but no number
            self.say(f"usage: :resolve N, with N from 1 to {len(notes)}")
            return
        note = notes[number - 1]
        sitting.resolve_note(note)
        self.say(f"resolved: “{note.text}” will not come back")

    def time(self, sitting: Sitting) -> None:
        session = sitting.session
        if session.locked:
            self.say(f"hints unlock in {format_countdown(session.remaining())}")
            return
        wait = session.next_hint_in()
        if math.isinf(wait):
            self.say("the timer has run out; no hints left")
        elif wait > 0:
            self.say(f"the next hint unlocks in {format_countdown(wait)}")
        else:
            self.say("the timer has run out: :hint and :reveal are open")

    def wait_help(self) -> str:
        if isinstance(self.desk.clock, ManualClock):
            return "\n  :wait 20m     (simulated clock) let time pass"
        return ""

    def wait(self, rest: str) -> None:
        assert isinstance(self.desk.clock, ManualClock)
        try:
            seconds = parse_duration(rest)
        except DurationError as exc:
            self.say(f"usage: :wait 20m ({exc})")
            return
        self.desk.clock.advance(seconds)
        self.say(f"{format_duration(seconds)} pass")

    # -- ending --------------------------------------------------------------------------------

    def offer_one_more(self) -> bool:
        """The day's plan is done: True if the learner takes one more card (when one waits)."""
        if self.desk.one_more_card() is None:
            return False
        self.say("")
        self.say("Done for today. Take one more card? [y/N]")
        line = self.read()
        return line is not None and line.strip().lower() in ("y", "yes")

    def quit(self, sitting: Sitting) -> None:
        sitting.save()
        session = sitting.session
        left = session.remaining()
        when = (
            f"with {format_countdown(left)} left on its timer"
            if left
            else "(its timer has run out)"
        )
        at = ""
        if sitting.proof is not None:
            at = f" at step {sitting.proof.index + 1} of {len(sitting.deck.cards)}"
        self.say(f"saved; {sitting.card_id} resumes next time{at} {when}")

    def finish(self, sitting: Sitting) -> Finished | None:
        card = sitting.card
        outcome = sitting.outcome()
        if outcome.rating is Rating.GOOD:
            self.say(
                "Rated Good. If it was easy, type :easy now (:undo takes the rating back); "
                "any other line goes on."
            )
            line = self.read()
            choice = line.strip().lower() if line is not None else ""
            if choice == ":easy":  # asked for again, as revealing is: no one line rates Easy
                self.say(
                    "Rate it Easy? It then comes back much later than after Good. "
                    "Type :easy to confirm; any other line keeps Good."
                )
                line = self.read()
                choice = line.strip().lower() if line is not None else ""
                if choice == ":easy":
                    sitting.upgrade_to_easy()
                    line = None  # the confirmation, taken
                else:
                    self.say("kept as Good")
            if line is None:
                pass
            elif choice == ":undo":
                sitting.undo()
                self.say("Undone: the card is open again, as it was before.")
                return None
            elif choice.startswith(":"):
                self.lines.put_back(line)
            elif choice:
                self.say("(that line was typed after the card was done: it is not an attempt)")
        finished = sitting.finish()
        self.say("")
        if sitting.proof is not None:
            self.finish_whole_proof(sitting, finished)
            return finished
        if not sitting.outcome().ideas_total and card.answer is not None:
            self.say("Answer:")
            self.show_answer(sitting)
        if card.why is not None:
            self.say("Why it matters:")
            self.say(indent(markdown_to_text(card.why.source)))
        self.say("")
        self.say(self.summary(finished))
        if finished.outcome.rating is Rating.AGAIN and card.requires:
            # confusion helps when it gets resolved: point back to what the card stands on
            names = ", ".join(card.requires)
            self.say(
                f"It stands on {names}: worth a look with 'tutor deck show ID' before it returns."
            )
        return finished

    def finish_whole_proof(self, sitting: Sitting, finished: Finished) -> None:
        """After a whole proof: the proof as the deck writes it, the summary, and the steps
        that were not rebuilt."""
        self.say("The proof, step by step:")
        for step in sitting.deck.cards:
            self.say(f"  {step.position + 1}. {inline_to_text(step.title)}")
            if step.answer is not None:
                self.say(indent(markdown_to_text(step.answer.source), "     "))
        self.say("")
        self.say(self.summary(finished))
        missed = [done.card for done in sitting.rebuilt if not done.outcome.success]
        if missed:
            names = ", ".join(f"{step.position + 1} ({step.id})" for step in missed)
            self.say(
                f"Steps not rebuilt: {names}: worth a look with 'tutor deck show ID' before "
                "the proof returns."
            )

    def summary(self, finished: Finished) -> str:
        return summary(self.desk, finished)

    def closing(self, studied: int) -> None:
        desk = self.desk
        when = desk.next_card_at()
        current = desk.streak()
        if studied == 0:
            self.say("Nothing to study now.")
        else:
            self.say("")
            self.say("That is today's study done.")
        self.say(f"Streak: {days(current.current)} (longest {days(current.longest)}).")
        if when is None:
            self.say(
                "No card is waiting: every card is new with unmet prerequisites, or none exist."
            )
        else:
            self.say(f"Next card: {self.when(when)}.")

    def when(self, instant: datetime) -> str:
        return when(self.desk, instant)
