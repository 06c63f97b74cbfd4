"""The deck browser's mentor line: under a deck's cards, how the highlighted card fares with every
learner of the database (the figures of `tutor report`), read in a worker; at 80x24."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from tutor.study.clock import ManualClock
from tutor.ui.screens.decks import DecksScreen

from .conftest import DeskFactory, Host, drive, screen_text, settled


def figures(app: Host) -> str:
    shown = app.screen.query_one("#decks-figures", Static)
    return str(shown.render()) if shown.display else ""


def test_the_highlighted_cards_figures_across_learners(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    ada = open_desk(learner="ada")
    sitting = ada.next_sitting()
    assert sitting is not None and sitting.card_id == "double"
    sitting.add_note("why \x1b[31mtwo?")
    clock.advance(30)
    sitting.submit("x^2")  # wrong first
    clock.advance(10)
    sitting.submit("2x")
    sitting.finish()
    grace = open_desk(learner="grace")
    sitting = grace.next_sitting()
    assert sitting is not None and sitting.card_id == "double"
    clock.advance(20)
    sitting.submit("2x")  # right at once
    sitting.finish()
    desk = open_desk(learner="emmy")  # who browses does not matter: the line is everyone's

    async def scenario(app: Host, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, DecksScreen)
        assert figures(app) == ""  # not on the list of decks
        await pilot.press("enter")  # the mini deck, its first card highlighted
        await settled(pilot)
        line = figures(app)
        assert "Every learner: 2 learners · 3 attempts · first try 50% (1 of 2)" in line
        assert "hints 0 · reveals 0 · to correct 30 s · 1 note" in line  # median of 40 s, 20 s
        assert "wrong: x^2 ×1" in line
        shown = screen_text(app)
        assert "Every learner: 2 learners" in shown and "wrong: x^2 ×1" in shown
        await pilot.press("down")  # square: nobody has studied it
        assert figures(app) == "Every learner: nobody has studied this card yet."
        await pilot.press("up", "enter")  # the preview keeps the card's line
        assert "2 learners · 3 attempts" in figures(app)
        await pilot.press("escape", "escape")
        assert figures(app) == ""

    drive(lambda: DecksScreen(desk), scenario, size=(80, 24))
