"""The terminal UI shows a review's drawn numbers (deck-format.md, "Drawn numbers"): in the
prompt, in the hints, and in the answer once it is revealed, driven with Textual's pilot on a
temporary database and an injected random source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from today.test_drawn_numbers import DECK, Source, first_day

from tutor.study.clock import ManualClock
from tutor.ui.app import TutorApp
from tutor.ui.screens.session import Stage

from .conftest import DeskFactory
from .test_session_screen import new_app, run, session, text, type_answer


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "batches.md").write_text(DECK, encoding="utf-8")
    return folder


def test_the_screen_shows_the_drawn_numbers_and_the_answer_with_them(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    first_day(open_desk, clock)
    desk = open_desk()
    desk.draws = Source(72)  # n = 730

    async def scenario(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        assert screen.sitting.is_review
        prompt = text(app, "#prompt")
        assert "A batch holds 730 examples." in prompt and "50" not in prompt
        clock.advance(120)
        screen.tick()
        await pilot.press("escape", "h")
        assert "Hint 1 of 2: Add 730 to itself." in text(app, "#hints")
        await pilot.press("r", "r")
        assert screen.stage is Stage.FINISHED
        assert "2 · 730 = 1460 examples." in text(app, "#reference")

    run(new_app(desk), scenario)


def test_the_screen_judges_with_the_drawn_numbers_and_resumes_them(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    first_day(open_desk, clock)
    desk = open_desk()
    desk.draws = Source(17)  # n = 180

    async def first(app: TutorApp, pilot: Pilot[Any]) -> None:
        await type_answer(pilot, "100")  # the stated value's answer
        assert text(app, "#attempts").startswith("✗ incorrect")
        await pilot.press("ctrl+q")

    run(new_app(desk), first)
    again = open_desk()
    again.draws = Source(55)  # a new draw would show 560

    async def resumed(app: TutorApp, pilot: Pilot[Any]) -> None:
        screen = session(app)
        assert screen.sitting.resumed
        assert "A batch holds 180 examples." in text(app, "#prompt")
        await type_answer(pilot, "360")
        assert screen.stage is Stage.OFFER_EASY

    run(new_app(again), resumed)
