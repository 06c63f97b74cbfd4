"""After the day's plan, the calm screen offers one more card: a key takes it, the card opens
as any card does (a new one with its full timer), and the offer goes when no card is waiting."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tutor.config import Settings
from tutor.study.clock import ManualClock
from tutor.ui.app import TutorApp
from tutor.ui.screens.rest import RestScreen
from tutor.ui.screens.session import SessionScreen

from .conftest import PROOF, desk_for, screen_text, study_one
from .test_session_screen import new_app, run, settle, text, type_answer


def test_one_more_card_from_the_calm_screen(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    folder = tmp_path / "proofs"
    folder.mkdir()
    (folder / "zero.md").write_text(PROOF, encoding="utf-8")
    only_proof = replace(settings, deck_override=(folder,))
    desk = desk_for(only_proof, clock)
    desk.sync()
    study_one(desk, clock)  # today's new card: the proof's first step

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, RestScreen)
        shown = text(app, "#text")
        assert "Take one more card? Press m." in shown
        assert "One more" in screen_text(app).splitlines()[-1]  # the footer teaches the key
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        sitting = screen.sitting
        assert sitting.card.id == "zero-2" and not sitting.is_review
        assert sitting.session.facts.timer == 20 * 60  # a new card: the full confusion timer
        await type_answer(pilot, "a")
        await pilot.press("escape", "enter")  # keys on, keep Good
        await pilot.press("enter")  # go on
        await settle(pilot)
        # nothing is waiting now (the whole proof waits for a day its steps are not studied
        # on): no offer, and the key does nothing
        assert isinstance(app.screen, RestScreen)
        assert "Take one more card?" not in text(app, "#text")
        assert "One more" not in screen_text(app).splitlines()[-1]
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, RestScreen)

    try:
        run(new_app(desk), scenario)
        assert desk.stats().reviews_total == 2
    finally:
        desk.close()


def test_the_one_more_key_can_be_moved(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    folder = tmp_path / "proofs"
    folder.mkdir()
    (folder / "zero.md").write_text(PROOF, encoding="utf-8")
    moved = replace(settings, deck_override=(folder,), keys={"more": "f5"})
    desk = desk_for(moved, clock)
    desk.sync()
    study_one(desk, clock)

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        assert "Press f5." in text(app, "#text")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "One more" in titles  # the command palette offers it too
        await pilot.press("m")
        assert isinstance(app.screen, RestScreen)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.sitting.card.id == "zero-2"

    try:
        run(new_app(desk), scenario)
    finally:
        desk.close()
