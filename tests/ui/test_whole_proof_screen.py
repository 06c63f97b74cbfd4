"""The whole-proof card in the terminal UI, driven with the pilot and a clock the test moves:
the statement alone, one timer whose end opens every step's hints, a step at a time (each on
a fresh screen showing the learner's own answers), quitting in the middle and resuming, a
failed step taken back and failed again, the proof rated by its worst step, and the stats."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from today.test_whole_proof import PROOF, learn_the_steps

from tutor.config import Settings
from tutor.study.clock import ManualClock
from tutor.today import Desk
from tutor.ui.app import TutorApp
from tutor.ui.screens.session import Stage
from tutor.ui.screens.stats import StatsScreen

from .conftest import desk_for
from .test_session_screen import new_app, notifications, run, session, settle, text, type_answer


def proof_desk(tmp_path: Path, settings: Settings, clock: ManualClock) -> Desk:
    folder = tmp_path / "proofs"
    folder.mkdir(exist_ok=True)
    (folder / "twice.md").write_text(PROOF, encoding="utf-8")
    desk = desk_for(replace(settings, deck_override=(folder,)), clock)
    desk.sync()
    return desk


def test_a_whole_proof_resumed_in_the_middle_with_hints_and_a_failed_step(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    desk = proof_desk(tmp_path, settings, clock)
    learn_the_steps(desk, clock)
    desk.close()
    clock.advance(86_400)

    async def first(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        assert screen.sitting.card_id == "proof:twice"
        title, statement = text(app, "#title"), text(app, "#statement")
        assert "Twice a number › The whole proof" in title and "(proof, new card)" in title
        assert "Rebuild the proof from the statement alone" in statement
        assert "Step 1 of 3: Count the copies" in statement
        assert "Established so far" not in statement
        assert "10:00 left" in text(app, "#timer")  # the proof's timer, for the whole sitting
        clock.advance(600)
        screen.tick()
        await pilot.press("escape", "h")
        assert "Hint 1 of 2: Count the copies of x." in text(app, "#hints")
        await type_answer(pilot, "2x")
        assert screen.stage is Stage.STEP_DONE
        assert "✓ Step 1 rebuilt (with help" in text(app, "#reference")
        await pilot.press("escape")  # keys on after a verdict that came while typing
        assert "Press enter to go on to step 2 of 3" in text(app, "#outcome")
        await pilot.press("enter")
        await settle(pilot)
        second = session(app)
        assert second is not screen and second.sitting.card.id == "twice-2"
        shown = text(app, "#statement")
        assert "Your steps so far" in shown and "2x" in shown
        assert "Step 2 of 3: Say why" in shown
        assert "has run out" in text(app, "#timer")  # one timer: still run out
        await pilot.press("ctrl+q")
        await settle(pilot)

    app = new_app(desk_for(desk.settings, clock))
    run(app, first)
    assert app.return_value == (
        "saved; the whole proof “Twice a number” resumes next time at step 2 of 3 "
        "(its timer has run out)"
    )
    clock.advance(3600)

    async def again(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        assert screen.sitting.card.id == "twice-2" and "resumed" in text(app, "#title")
        assert "Resumed at step 2 of 3: 10:00 spent so far." in notifications(app)
        await pilot.press("escape", "r", "r")  # reveal, confirmed
        assert screen.stage is Stage.STEP_DONE
        reference = text(app, "#reference")
        assert "✗ Step 2 is not rebuilt" in reference and "Multiplying by two" in reference
        assert "u takes back this reveal" in text(app, "#outcome")
        await pilot.press("u")
        assert screen.stage is Stage.THINKING
        assert "Taken back: the step is open again." in notifications(app)
        await pilot.press("escape", "r", "r")
        await pilot.press("enter")
        await settle(pilot)
        last = session(app)
        assert last.sitting.card.id == "twice-3" and "resumed" not in text(app, "#title")
        assert "(revealed)" in text(app, "#statement")
        await type_answer(pilot, "3x")
        assert last.stage is Stage.FINISHED  # rated Again: no Easy to offer
        outcome = text(app, "#outcome")
        assert "not rebuilt whole yet; rated Again" in outcome
        assert "Steps not rebuilt: 2 (twice-2)" in outcome
        assert "The proof, step by step" in text(app, "#reference")
        await pilot.press("escape", "s")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert "Proofs rebuilt whole  0 of 1" in text(app, "#stats-proofs")

    checked = desk_for(desk.settings, clock)
    run(new_app(checked), again)
    figures = checked.stats()
    assert (figures.proofs_total, figures.proofs_rebuilt, figures.reviews_today) == (1, 0, 1)
    checked.close()


def test_a_whole_proof_rebuilt_good_may_be_rated_easy(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    desk = proof_desk(tmp_path, settings, clock)
    learn_the_steps(desk, clock)
    desk.close()
    clock.advance(86_400)

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        await type_answer(pilot, "2x")
        await pilot.press("escape", "enter")
        await settle(pilot)
        await type_answer(pilot, "two")  # self-assessed: compared with the ideas after the timer
        clock.advance(600)
        await pilot.press("escape", "c")
        await pilot.press("space", "down", "space", "ctrl+s")  # both ideas
        await pilot.press("enter")
        await settle(pilot)
        await type_answer(pilot, "3x")
        screen = session(app)
        assert screen.stage is Stage.OFFER_EASY
        await pilot.press("escape", "e", "e")
        assert screen.stage is Stage.FINISHED
        assert "rebuilt whole; rated Easy" in text(app, "#outcome")

    checked = desk_for(desk.settings, clock)
    run(new_app(checked), scenario)
    assert checked.stats().proofs_rebuilt == 1
    checked.close()
