"""The daily session in the terminal UI, driven with Textual's pilot and a clock the test moves:
the timer locked and unlocked, the hint ladder, verdicts, reveal, notes, quitting and resuming,
self-assessment, a slow check, remapped keys, the welcome and the calm screen after."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from today.conftest import DeskFactory, InProcessChecker, desk_for

from tutor.check.spec import CheckSpec
from tutor.check.verdict import Verdict
from tutor.config import ConfigError, Settings
from tutor.study.clock import ManualClock
from tutor.today import Desk
from tutor.ui.app import TutorApp
from tutor.ui.screens.notes import NotesScreen
from tutor.ui.screens.rest import RestScreen
from tutor.ui.screens.session import SessionScreen, Stage
from tutor.ui.screens.welcome import WelcomeScreen
from tutor.ui.widgets.ideas import IdeasChecklist

from .conftest import PROOF, study_one

Scenario = Callable[[TutorApp, Pilot[Any]], Awaitable[None]]


def run(app: TutorApp, scenario: Scenario, size: tuple[int, int] = (80, 24)) -> None:
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())


async def settle(pilot: Pilot[Any]) -> None:
    """Let timers fire, workers finish and their messages arrive."""
    for _ in range(3):
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text(app: TutorApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def session(app: TutorApp) -> SessionScreen:
    assert isinstance(app.screen, SessionScreen), type(app.screen).__name__
    return app.screen


def notifications(app: TutorApp) -> list[str]:
    return [n.message for n in app._notifications]


async def type_answer(pilot: Pilot[Any], answer: str) -> None:
    screen = session(pilot.app)  # type: ignore[arg-type]
    editor = screen.query_one("#editor")
    editor.focus()
    editor.text = ""  # type: ignore[attr-defined]
    await pilot.press(*answer)
    await pilot.press("ctrl+s")
    await settle(pilot)


class UiTime:
    """The real time of keystrokes, moved by the test (confirmations lapse on it)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def new_app(desk: Desk, **options: Any) -> TutorApp:
    options.setdefault("welcome", False)
    options.setdefault("ui_time", UiTime())
    return TutorApp(desk, preview_delay=0, **options)


def test_timer_locks_the_hints_then_the_ladder_opens_one_at_a_time(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        assert screen.sitting.card.id == "double"
        assert "10:00 left" in text(app, "#timer")
        assert "Hints unlock in 10:00." in text(app, "#hints")
        await pilot.press("escape", "h")
        assert screen.sitting.session.hints_shown == 0
        assert "Hints unlock in 10:00." in notifications(app)
        await pilot.press("r")
        assert screen.stage is Stage.THINKING
        assert "The answer unlocks in 10:00." in notifications(app)

        clock.advance(240)
        screen.tick()
        assert "06:00 left" in text(app, "#timer")
        timer = text(app, "#timer")
        assert timer.count("━") > 0 and timer.count("─") > timer.count("━")

        clock.advance(360)
        screen.tick()
        assert "has run out" in text(app, "#timer")
        assert "Press h for hint 1 of 3." in text(app, "#hints")
        await pilot.press("h")
        assert "Hint 1 of 3: Count the copies of x." in text(app, "#hints")
        assert "The next hint unlocks in 01:00." in text(app, "#hints")
        await pilot.press("h")  # the hint gap
        assert screen.sitting.session.hints_shown == 1
        clock.advance(60)
        screen.tick()
        await pilot.press("h")
        clock.advance(60)
        screen.tick()
        await pilot.press("h")
        hints = text(app, "#hints")
        assert "Hint 3 of 3: It is 2x." in hints
        assert "That was the last hint" in hints and "No hints left." in hints

    run(new_app(open_desk()), scenario)


def test_incorrect_and_invalid_answers_keep_the_card_open_then_correct_finishes_it(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        await type_answer(pilot, "3x")
        assert text(app, "#attempts").startswith("✗ incorrect")
        assert screen.stage is Stage.THINKING
        assert app.focused is screen.query_one("#editor")

        await type_answer(pilot, "2x +")
        attempts = text(app, "#attempts")
        assert attempts.startswith("? invalid")
        assert "Attempts so far (2):" in attempts and "1. ✗ 3x" in attempts

        clock.advance(90)
        await type_answer(pilot, "x+x")
        assert screen.stage is Stage.OFFER_EASY
        outcome = text(app, "#outcome")
        assert "Why it matters" in outcome and "Counting." in outcome
        assert "Rated Good. If it was easy, press e" in outcome
        await pilot.press("escape", "e", "e")
        assert screen.stage is Stage.FINISHED
        outcome = text(app, "#outcome")
        assert "reconstructed; rated Easy" in outcome and "next review" in outcome
        assert "2x" in text(app, "#reference")
        assert [a.verdict for a in screen.sitting.session.attempts] == [
            "incorrect",
            "invalid",
            "correct",
        ]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RestScreen)
        assert "That is today's study done." in text(app, "#text")
        assert "Streak: 1 day" in text(app, "#text")

    run(new_app(desk), scenario)
    stats = desk.stats()
    assert (stats.reviews_total, stats.streak.current) == (1, 1)


def test_the_live_preview_shows_how_the_answer_is_read(open_desk: DeskFactory) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        await pilot.press(*"x*x^2")
        await settle(pilot)
        assert text(app, "#preview") == "read as: x·x^2"
        await pilot.press("backspace", "backspace", "backspace", "backspace", "+")
        await settle(pilot)
        assert text(app, "#preview").startswith("cannot read this yet: ")
        assert session(app).sitting.session.attempts == []  # previews are not attempts

    run(new_app(open_desk()), scenario)


def test_reveal_after_the_timer_ends_the_card_as_not_known(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        clock.advance(600)
        screen.tick()
        await pilot.press("escape", "r", "r")
        assert screen.stage is Stage.FINISHED
        assert "2x" in text(app, "#reference")
        assert "not reconstructed yet; rated Again" in text(app, "#outcome")

    run(new_app(desk), scenario)
    assert desk.stats().streak.current == 0


def test_a_note_is_kept_and_shown_when_the_card_comes_back(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    async def first(app: TutorApp, pilot: Pilot[Any]) -> None:
        await pilot.press("escape", "n")
        assert isinstance(app.screen, NotesScreen)
        await pilot.press(*"why two?")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert "Note saved; it comes back with the card." in notifications(app)
        clock.advance(600)
        app.screen.tick()
        await pilot.press("r", "r")

    run(new_app(open_desk()), first)
    clock.advance(86_400)

    async def next_day(app: TutorApp, pilot: Pilot[Any]) -> None:
        assert session(app).sitting.card.id == "double"
        assert text(app, "#last-note") == (
            "Your note from last time (n to resolve):\n  Mon 02 Mar 2026 · why two?"
        )
        await pilot.press("escape", "n")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("shift+tab", "space")  # to the list of last time's notes; tick it
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Resolved: “why two?” will not come back." in notifications(app)
        assert text(app, "#last-note") == "Every note from last time is resolved."
        clock.advance(600)
        app.screen.tick()
        await pilot.press("r", "r")

    run(new_app(open_desk()), next_day)
    clock.advance(86_400 * 3)

    async def later(app: TutorApp, pilot: Pilot[Any]) -> None:
        assert session(app).sitting.card.id == "double"
        assert not app.screen.query("#last-note")  # a resolved note does not come back

    run(new_app(open_desk()), later)


def test_quit_saves_and_the_card_resumes_where_its_timer_was(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    async def first(app: TutorApp, pilot: Pilot[Any]) -> None:
        clock.advance(120)
        await type_answer(pilot, "3x")
        clock.advance(30)
        await pilot.press("escape", "q")
        await settle(pilot)

    app = new_app(open_desk())
    run(app, first)
    assert app.return_value == "saved; “Double” resumes next time with 07:30 left on its timer"
    clock.advance(3600)  # an hour away: the timer does not run while the tutor is closed

    async def again(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        assert screen.sitting.resumed
        assert "07:30 left" in text(app, "#timer")
        assert "resumed" in text(app, "#title")
        assert text(app, "#attempts").startswith("✗ incorrect")

    run(new_app(open_desk()), again)


def test_a_self_assessed_card_ends_with_the_key_ideas_checklist(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    study_one(open_desk(), clock)  # `double`, which `square` stands on
    clock.advance(86_400)
    desk = open_desk()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        assert screen.sitting.card.id == "square"
        assert text(app, "#preview").startswith("You judge this one: ctrl+s, then c")
        await type_answer(pilot, "x times itself")
        assert screen.stage is Stage.THINKING  # the answer waits for the timer
        assert app.focused is screen.query_one("#editor")
        assert text(app, "#next-step") == (
            "You may rewrite it. Once the timer runs out (in 10:00), c compares it with the "
            "key ideas."
        )
        clock.advance(600)
        await pilot.press("escape", "c")
        assert screen.stage is Stage.ASSESSING
        ideas = screen.query_one(IdeasChecklist)
        assert ideas.display and app.focused is ideas
        assert [str(ideas.get_option_at_index(i).prompt) for i in range(2)] == [
            "[ ] a product",
            "[ ] of x with itself",
        ]
        assert "x multiplied by itself." in text(app, "#reference")
        await pilot.press("space", "down", "space", "space")  # the first idea only
        assert str(ideas.get_option_at_index(0).prompt) == "[x] a product"
        assert str(ideas.get_option_at_index(1).prompt) == "[ ] of x with itself"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.stage is Stage.FINISHED
        assert "not reconstructed yet; rated Hard" in text(app, "#outcome")
        assert "It stands on" not in text(app, "#outcome")  # only a card failed outright

    run(new_app(desk), scenario)


class SlowChecker(InProcessChecker):
    """A checker that holds every judgement until the test lets it go."""

    def __init__(self) -> None:
        self.go = threading.Event()
        self.started = threading.Event()

    def judge(self, spec: CheckSpec, answer: str) -> Verdict:
        self.started.set()
        assert self.go.wait(10), "the test never released the check"
        return super().judge(spec, answer)


def test_during_a_slow_check_the_timer_ticks_and_keys_work(
    settings: Settings, clock: ManualClock
) -> None:
    slow = SlowChecker()
    desk = desk_for(settings, clock)
    desk.checkers.make = lambda: slow  # type: ignore[assignment,return-value]
    desk.sync()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        await pilot.press("2", "x", "ctrl+s")
        await pilot.pause()
        assert slow.started.wait(5)
        assert "Checking your answer…" in text(app, "#attempts")
        clock.advance(65)
        screen.tick()
        assert "08:55 left" in text(app, "#timer")
        await pilot.press("escape", "n")
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert screen.stage is Stage.THINKING
        slow.go.set()
        await settle(pilot)
        assert screen.stage is Stage.OFFER_EASY
        assert screen.sitting.session.attempts[0].active_seconds >= 65

    try:
        run(new_app(desk), scenario)
    finally:
        slow.go.set()
        desk.close()


def test_keys_are_remapped_from_the_config(open_desk: DeskFactory, clock: ManualClock) -> None:
    desk = open_desk(keys={"hint": "f2", "quit": "ctrl+x,x"})

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        clock.advance(600)
        screen.tick()
        assert "Press f2 for hint 1 of 3." in text(app, "#hints")
        await pilot.press("escape", "h")
        assert screen.sitting.session.hints_shown == 0
        await pilot.press("f2")
        assert screen.sitting.session.hints_shown == 1
        bindings = {key: b.binding.id for key, b in app.screen.active_bindings.items()}
        assert bindings.get("f2") == "hint" and "h" not in bindings
        await pilot.press("x")
        await settle(pilot)

    app = new_app(desk)
    run(app, scenario)
    assert app.return_value is not None and app.return_value.startswith("saved; “Double”")


def test_an_unknown_action_in_keys_is_one_clear_error(open_desk: DeskFactory) -> None:
    with pytest.raises(ConfigError, match="unknown action 'hnit'"):
        TutorApp(open_desk(keys={"hnit": "h"}))
    with pytest.raises(ConfigError, match="not a key"):
        TutorApp(open_desk(keys={"hint": "ctrl+"}))


def test_letters_typed_into_the_editor_are_letters(open_desk: DeskFactory) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        await pilot.press(*"hrqsdn")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.query_one("#editor").text == "hrqsdn"  # type: ignore[attr-defined]
        footer_keys = set(app.screen.active_bindings)
        shown = {k for k, b in app.screen.active_bindings.items() if b.enabled}
        assert "ctrl+s" in shown and "escape" in shown
        assert not {"h", "r", "q", "s", "d", "n"} & shown
        assert footer_keys  # the editor's own keys are there

    run(new_app(open_desk()), scenario)


def test_the_first_launch_welcomes_then_shows_the_first_card(open_desk: DeskFactory) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, WelcomeScreen)
        welcome = text(app, "#text")
        assert "For the first 10 minutes of a new card" in welcome
        await pilot.press("enter")
        await settle(pilot)
        assert session(app).sitting.card.id == "double"

    run(TutorApp(open_desk(), preview_delay=0), scenario)


def test_no_welcome_once_a_card_was_studied_and_a_calm_screen_when_nothing_is_due(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    study_one(open_desk(), clock)

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, RestScreen)
        shown = text(app, "#text")
        assert "Nothing to study now." in shown
        assert "Streak: 1 day (longest 1 day)" in shown
        assert "Next card: tomorrow (Tue 03 Mar 2026, from 04:00)" in shown
        await pilot.press("q")
        await settle(pilot)

    app = TutorApp(open_desk(), preview_delay=0)
    run(app, scenario)
    assert app.return_value is None


def test_a_proof_step_shows_the_theorem_and_the_steps_established(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    folder = tmp_path / "proofs"
    folder.mkdir()
    (folder / "zero.md").write_text(PROOF, encoding="utf-8")
    only_proof = replace(settings, deck_override=(folder,))
    first = desk_for(only_proof, clock)
    first.sync()
    study_one(first, clock)
    first.close()
    clock.advance(86_400)
    desk = desk_for(only_proof, clock)
    desk.sync()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        assert screen.sitting.card.id == "zero-2"
        statement = text(app, "#statement")
        assert "Theorem" in statement and "a + 0 = a for every number a." in statement
        assert "1. Write the left side" in statement and "   a + 0" in statement
        assert "Step 2 of 2" in statement
        assert "Simplify it" in text(app, "#title")
        for widget in screen.query(Static):
            assert "\x1b" not in str(widget.render())

    try:
        run(new_app(desk), scenario)
    finally:
        desk.close()


def test_the_command_palette_offers_the_same_actions(open_desk: DeskFactory) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Hint", "Reveal", "Notes", "Stats", "Decks", "Quit"):
            assert title in titles
        (hint,) = [c for c in app.get_system_commands(app.screen) if c.title == "Hint"]
        assert "(h)" in hint.help

    run(new_app(open_desk()), scenario)


def test_a_quick_start_shows_the_card_then_opens_the_store_behind_it(
    open_desk: DeskFactory, settings: Settings, clock: ManualClock
) -> None:
    open_desk()  # yesterday's tutor: the database exists and is synced
    desk = Desk(settings, clock=clock, fuzz=False, checker=InProcessChecker)  # type: ignore[arg-type]
    first = desk.quick_sitting()
    assert first is not None and not desk.place.opened

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        assert session(app).sitting is first
        assert desk.place.opened  # opened by the worker after the first frame
        await type_answer(pilot, "2x")
        await pilot.press("escape", "enter")  # keys on, keep Good
        assert session(app).stage is Stage.FINISHED
        await pilot.press("enter")  # go on
        await settle(pilot)
        assert isinstance(app.screen, RestScreen)

    try:
        run(TutorApp(desk, first=first, preview_delay=0, welcome=False), scenario)
        assert desk.stats().reviews_total == 1
    finally:
        desk.close()


def test_a_simulated_clock_can_be_told_to_wait(open_desk: DeskFactory, clock: ManualClock) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        await pilot.press("escape", "w")
        assert "05:00 left" in text(app, "#timer")
        await pilot.press("w")
        assert "has run out" in text(app, "#timer")
        assert "Press h for hint 1 of 3." in text(app, "#hints")

    run(new_app(open_desk()), scenario)


def test_the_real_clock_cannot_be_told_to_wait(open_desk: DeskFactory) -> None:
    from tutor.study.clock import SystemClock

    desk = open_desk()
    desk.clock = SystemClock()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        await pilot.press("escape", "w")
        assert "10:00 left" in text(app, "#timer") or "09:59 left" in text(app, "#timer")
        assert "w" not in {k for k, b in app.screen.active_bindings.items() if b.enabled}

    run(new_app(desk), scenario)


def test_the_answer_being_written_survives_quitting(open_desk: DeskFactory) -> None:
    async def first(app: TutorApp, pilot: Pilot[Any]) -> None:
        await pilot.press(*"x + ")
        await pilot.press("ctrl+q")  # from inside the editor
        await settle(pilot)

    app = new_app(open_desk())
    run(app, first)
    assert app.return_value is not None and app.return_value.startswith("saved;")

    async def again(app: TutorApp, pilot: Pilot[Any]) -> None:
        assert app.screen.query_one("#editor").text == "x + "  # type: ignore[attr-defined]

    run(new_app(open_desk()), again)


def test_every_note_of_last_time_comes_back(open_desk: DeskFactory, clock: ManualClock) -> None:
    async def first(app: TutorApp, pilot: Pilot[Any]) -> None:
        for note in ("first thought", "second thought"):
            await pilot.press("escape", "n", *note, "ctrl+s")
            await settle(pilot)
        clock.advance(600)
        await pilot.press("r", "r")

    run(new_app(open_desk()), first)
    clock.advance(86_400)

    async def next_day(app: TutorApp, pilot: Pilot[Any]) -> None:
        assert text(app, "#last-note") == (
            "Your notes from last time (n to resolve):\n"
            "  Mon 02 Mar 2026 · first thought\n  Mon 02 Mar 2026 · second thought"
        )

    run(new_app(open_desk()), next_day)


def test_letters_typed_on_after_a_right_answer_are_not_commands(open_desk: DeskFactory) -> None:
    desk = open_desk()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        await pilot.press("2", "x", "ctrl+s")
        await settle(pilot)
        assert screen.stage is Stage.OFFER_EASY and screen.guarded
        assert "keys are off until esc" in text(app, "#confirm")
        # still typing, however long after the verdict: none of these acts
        await pilot.press(*"e^x + s", "enter", "e", "e", "u", "q", "ctrl+s", "enter")
        await settle(pilot)
        assert screen.stage is Stage.OFFER_EASY and screen.guarded
        assert app.screen is screen and app.is_running
        shown = {k for k, b in app.screen.active_bindings.items() if b.enabled}
        assert shown & {"e", "enter", "s", "q", "u"} == set() and "escape" in shown
        await pilot.press("escape")
        assert not screen.guarded and not text(app, "#confirm")
        await pilot.press("enter")
        assert screen.finished is not None and screen.finished.outcome.rating.name == "GOOD"

    run(new_app(desk), scenario)


def test_letters_typed_on_after_a_wrong_answer_go_into_the_editor(
    open_desk: DeskFactory,
) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        await pilot.press("3", "x", "ctrl+s")
        await settle(pilot)
        assert screen.stage is Stage.THINKING and not screen.guarded
        await pilot.press(*"resq")
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one("#editor").text == "3xresq"  # type: ignore[attr-defined]

    run(new_app(open_desk()), scenario)


def test_reveal_asks_for_a_second_press(open_desk: DeskFactory, clock: ManualClock) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        clock.advance(600)
        screen.tick()
        await pilot.press("escape", "r")
        assert screen.stage is Stage.THINKING
        assert text(app, "#confirm") == (
            "Press r again to reveal the answer (the card will count as not known)."
        )
        screen.ui_time.now += 6  # type: ignore[attr-defined]  # too late: the question lapses
        screen.tick()
        assert not screen.query_one("#confirm").display
        await pilot.press("r")
        assert screen.stage is Stage.THINKING
        await pilot.press("r")
        assert screen.stage is Stage.FINISHED
        assert "rated Again" in text(app, "#outcome")

    run(new_app(open_desk()), scenario)


def test_another_action_between_two_reveal_presses_cancels_the_first(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    """`r`, then a hint (or another screen and back), then `r` asks again: the second press
    confirms only the reveal just asked for, as for Easy."""

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        clock.advance(600)
        screen.tick()
        await pilot.press("escape", "r")
        assert text(app, "#confirm").startswith("Press r again")
        await pilot.press("h")  # a hint between the two presses
        assert not screen.query_one("#confirm").display
        await pilot.press("r")
        assert screen.stage is Stage.THINKING  # asked again, not revealed
        await pilot.press("s")  # the stats screen over it, and back
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and not screen.query_one("#confirm").display
        await pilot.press("r")
        assert screen.stage is Stage.THINKING
        await pilot.press("r")
        assert screen.stage is Stage.FINISHED and "rated Again" in text(app, "#outcome")

    run(new_app(open_desk()), scenario)


def test_easy_asks_for_a_second_press(open_desk: DeskFactory) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        await type_answer(pilot, "2x")
        await pilot.press("escape")  # keys on
        await pilot.press("e")
        assert screen.stage is Stage.OFFER_EASY
        assert text(app, "#confirm").startswith("Press e again to rate this card Easy")
        await pilot.press("e")
        assert screen.finished is not None and screen.finished.outcome.rating.name == "EASY"

    run(new_app(open_desk()), scenario)


def test_undo_takes_back_a_reveal_and_the_card_is_open_again(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        footer = {k for k, b in app.screen.active_bindings.items() if b.enabled}
        assert "u" not in footer
        await pilot.press(*"3x")  # a draft in the editor
        clock.advance(600)
        await pilot.press("escape", "r", "r")
        assert screen.stage is Stage.FINISHED
        assert "u takes back this reveal" in text(app, "#outcome")
        assert desk.stats().reviews_total == 1
        assert "u" in {k for k, b in app.screen.active_bindings.items() if b.enabled}
        await pilot.press("u")
        assert screen.stage is Stage.THINKING and screen.finished is None
        assert app.focused is screen.query_one("#editor")
        assert screen.query_one("#editor").text == "3x"  # type: ignore[attr-defined]
        assert desk.stats().reviews_total == 0
        await type_answer(pilot, "2x")
        await pilot.press("escape", "enter")
        assert screen.finished is not None
        assert screen.finished.outcome.rating.name == "GOOD"

    run(new_app(desk), scenario)
    assert desk.stats().reviews_total == 1


def test_undo_takes_back_a_rating_before_and_after_it_is_saved(open_desk: DeskFactory) -> None:
    desk = open_desk()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        await type_answer(pilot, "2x")
        await pilot.press("escape")
        assert screen.stage is Stage.OFFER_EASY
        await pilot.press("u")  # before it is saved
        assert screen.stage is Stage.THINKING and screen.sitting.session.attempts == []
        await type_answer(pilot, "2x")
        await pilot.press("escape", "e", "e")
        assert screen.finished is not None and screen.finished.outcome.rating.name == "EASY"
        await pilot.press("u")  # after
        assert screen.stage is Stage.THINKING
        assert desk.stats().reviews_total == 0

    run(new_app(desk), scenario)


def test_an_undecided_answer_waits_for_the_timer_before_the_comparison(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = open_desk()
    undecided = Verdict("undecided", "The checker cannot decide this one.", read_as="2·x")

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        screen.sitting.judge = lambda answer: undecided  # type: ignore[method-assign]
        await type_answer(pilot, "x*2")
        assert screen.stage is Stage.THINKING and not screen.guarded
        assert app.focused is screen.query_one("#editor")
        step = text(app, "#next-step")
        assert step == (
            "You may rewrite it and submit again. Once the timer runs out (in 10:00), c "
            "compares it with the answer."
        )
        assert "c" not in {k for k, b in app.screen.active_bindings.items() if b.enabled}
        await pilot.press("escape")
        assert "c" in {k for k, b in app.screen.active_bindings.items() if b.enabled}
        await pilot.press("c")
        assert screen.stage is Stage.THINKING
        assert "The answer unlocks in 10:00." in notifications(app)
        clock.advance(600)
        screen.tick()
        assert text(app, "#next-step").startswith("You may rewrite it and submit again, or press c")
        await pilot.press("c")
        assert screen.stage is Stage.ASSESSING
        assert "Your answer" in text(app, "#reference") and "x*2" in text(app, "#reference")
        ideas = screen.query_one(IdeasChecklist)
        assert str(ideas.get_option_at_index(0).prompt).endswith(
            "My answer says what the reference answer says"
        )
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert screen.stage is Stage.OFFER_EASY and not screen.guarded
        assert "Rated Good" in text(app, "#outcome")

    run(new_app(desk), scenario)


def test_the_last_hint_is_announced_before_it_is_taken(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        clock.advance(600)
        await pilot.press("escape", "h")
        clock.advance(60)
        await pilot.press("h")
        clock.advance(60)
        session(app).tick()
        assert "Press h for the last hint, 3 of 3" in text(app, "#hints")
        assert "count as not known" in text(app, "#hints")
        await pilot.press("h")
        assert session(app).sitting.session.hints_shown == 3
        shown = {k for k, b in app.screen.active_bindings.items() if b.enabled}
        assert "h" not in shown and "r" in shown  # no hints left: only reveal

    run(new_app(open_desk()), scenario)


def test_a_database_failure_ends_the_app_with_one_line(
    open_desk: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutor.store.errors import StoreError

    desk = open_desk()

    def full_disk(**_: object) -> None:
        raise StoreError("/tmp/tutor.db: the disk is full")

    monkeypatch.setattr(desk, "sync", full_disk)

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        await settle(pilot)

    app = new_app(desk)
    run(app, scenario)
    assert (app.return_code, app.return_value) == (1, "/tmp/tutor.db: the disk is full")


BOTH_HALVES = """\
---
id: halves
title: Halves
timer: 10m
---

# Halves

## Half
id: half
kind: fact

What is half of $2x$?

### Answer
$x$, because halving undoes doubling.

```check
expect: x
real: x
```

### Key ideas
- halving undoes doubling
- the factor 2 cancels
"""


def test_a_correct_formula_leads_on_to_the_key_ideas_and_the_lower_rating(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    folder = tmp_path / "halves"
    folder.mkdir()
    (folder / "halves.md").write_text(BOTH_HALVES, encoding="utf-8")
    desk = desk_for(replace(settings, deck_override=(folder,)), clock)
    desk.sync()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        await type_answer(pilot, "x")
        assert screen.stage is Stage.ASSESSING and screen.guarded
        assert app.focused is not screen.query_one(IdeasChecklist)
        await pilot.press("space", "ctrl+s")  # typed on: neither ticks nor finishes
        assert screen.stage is Stage.ASSESSING
        assert screen.query_one(IdeasChecklist).ticked == set()
        assert text(app, "#reference").startswith("✓ Your formula is right.")
        await pilot.press("escape")
        assert app.focused is screen.query_one(IdeasChecklist)
        await pilot.press("space", "ctrl+s")  # one idea of two
        await settle(pilot)
        assert screen.stage is Stage.FINISHED
        assert "rated Hard" in text(app, "#outcome")

    try:
        run(new_app(desk), scenario)
    finally:
        desk.close()


def test_the_welcome_screen_takes_no_time_from_the_card(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, WelcomeScreen)
        clock.advance(240)  # four minutes reading the welcome
        await pilot.press("enter")
        await settle(pilot)
        screen = session(app)
        assert screen.sitting.session.active_seconds() == 0
        assert "10:00 left" in text(app, "#timer")
        clock.advance(60)
        screen.tick()
        assert "09:00 left" in text(app, "#timer")

    run(TutorApp(open_desk(), preview_delay=0), scenario)


def test_compare_undo_and_easy_are_remapped_from_the_config(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    study_one(open_desk(), clock)  # `double`, which `square` stands on
    clock.advance(86_400)
    desk = open_desk(keys={"compare": "f3", "undo": "f4", "reveal": "f5"})

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        assert screen.sitting.card.id == "square"
        assert "f3 compares with the key ideas" in text(app, "#preview")
        clock.advance(600)
        await pilot.press("escape", "c")
        assert screen.stage is Stage.THINKING
        await pilot.press("f5")
        assert text(app, "#confirm").startswith("Press f5 again to reveal")
        await pilot.press("f3")  # compare: a reconstruction on paper
        assert screen.stage is Stage.ASSESSING and not screen.query_one("#confirm").display
        await pilot.press("space", "down", "space", "ctrl+s")
        await settle(pilot)
        assert "f4" in {k for k, b in app.screen.active_bindings.items() if b.enabled}
        await pilot.press("f4")
        assert screen.stage is Stage.ASSESSING
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Compare" in titles and "Undo" in titles

    run(new_app(desk), scenario)


def test_guessing_through_is_rated_hard(open_desk: DeskFactory) -> None:
    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        for guess in ("x", "3x"):  # two wrong guesses
            await type_answer(pilot, guess)
        await type_answer(pilot, "2x")
        await pilot.press("escape")
        assert screen.finished is not None
        assert screen.finished.outcome.rating.name == "HARD"
        assert screen.finished.outcome.success

    run(new_app(open_desk()), scenario)


def test_a_failed_write_reloads_the_card_and_says_in_one_line_what_was_kept(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    from today.test_failed_write import Writes

    desk = open_desk()
    writes = Writes(desk)

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        await type_answer(pilot, "3x")
        writes.refuse()
        await type_answer(pilot, "x+x")  # right, but the database refuses it
        said = [n for n in notifications(app) if n.startswith("Not saved: ")]
        assert len(said) == 1 and "\n" not in said[0]
        assert said[0].endswith("the database keeps 1 answer, 0 hints; lost: your last answer")
        assert screen.stage is Stage.THINKING  # not rated: the database has no such answer
        assert [a.answer for a in screen.sitting.session.attempts] == ["3x"]
        assert "Attempts so far" not in text(app, "#attempts")
        assert text(app, "#attempts").startswith("✗ incorrect")
        writes.allow()
        await type_answer(pilot, "x+x")
        assert screen.stage is Stage.OFFER_EASY
        await pilot.press("escape", "enter")
        await settle(pilot)

    run(new_app(desk), scenario)
    with desk.session() as db:
        from sqlalchemy import text as sql

        assert db.execute(sql("SELECT attempts FROM review")).all() == [(2,)]
        assert db.execute(sql("SELECT count(*) FROM attempt")).all() == [(2,)]


def test_a_paste_is_cleaned_of_terminal_controls(open_desk: DeskFactory) -> None:
    """A paste holding escape sequences, a bell, a NUL, a backspace and an OSC title lands in
    the editor as its visible text alone, lines kept (CRLF as one line break)."""
    from textual import events

    from tutor.ui.widgets.answer import AnswerEditor

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        session(app)
        editor = app.screen.query_one(AnswerEditor)
        editor.focus()
        pasted = "u\x1b[31mv\x07\x00\x08\x1b]0;PWNED\x07*v\r\nx"
        app.post_message(events.Paste(pasted))  # to the app, as the terminal sends it
        await pilot.pause()
        assert editor.text == "uv*v\nx"

    run(new_app(open_desk()), scenario)


def test_quitting_when_the_save_fails_never_says_saved(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    """The save on quitting fails (the file damaged or gone under the tutor): the line quitting
    leaves says it was not saved, and why, never "saved"."""
    from tutor.store.errors import StoreError

    desk = open_desk()

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        clock.advance(120)

        def broken() -> None:
            raise StoreError("tutor.db: the database file is corrupt (page 7)")

        screen.sitting.save = broken  # type: ignore[method-assign]
        await pilot.press("escape", "q")
        await settle(pilot)

    app = new_app(desk)
    run(app, scenario)
    assert app.return_value == (
        "not saved: tutor.db: the database file is corrupt (page 7); the card resumes from its "
        "last save"
    )
