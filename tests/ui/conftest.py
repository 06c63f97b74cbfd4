"""The mini deck of tests/today and a two-step proof, a desk on a temporary database, and
days of study produced through the desk itself (`Sitting.submit` and `finish`)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from today import conftest as shared

from tutor.study.clock import ManualClock
from tutor.today import Desk

# The fixtures of tests/today (a settings on a temporary TUTOR_HOME, the clock, open_desk).
clock = shared.clock
settings = shared.settings
open_desk = shared.open_desk
DeskFactory = shared.DeskFactory
BERLIN = shared.BERLIN
DECK = shared.DECK
InProcessChecker = shared.InProcessChecker
desk_for = shared.desk_for

# A proof whose title (in the front matter) and second step's heading carry terminal escapes:
# they must not reach the screen.
PROOF = (
    "---\n"
    "id: zero-proof\n"
    'title: "Adding \\e[31mzero"\n'
    "kind: proof\n"
    "---\n\n"
    "# Adding zero\n\n"
    "**Theorem.** $a + 0 = a$ for every number $a$.\n\n"
    "## Write the left side\n"
    "id: zero-1\n\n"
    "Write the left side of the identity.\n\n"
    "### Answer\n"
    "$a + 0$\n\n"
    "```check\nexpect: a + 0\n```\n\n"
    "### Hints\n"
    "1. Read the theorem.\n\n"
    "## Simplify\x1b[2J it\n"
    "id: zero-2\n\n"
    "Simplify the left side.\n\n"
    "### Answer\n"
    "$a$\n\n"
    "```check\nexpect: a\n```\n"
)

ANSWERS = {"double": "2x", "triple": "3x", "zero-1": "a + 0", "zero-2": "a"}


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "mini.md").write_text(DECK, encoding="utf-8")
    (folder / "zero.md").write_text(PROOF, encoding="utf-8")
    return folder


def study_one(desk: Desk, clock: ManualClock, *, success: bool = True) -> str:
    """Study today's next card: reconstruct it (or, `success` False, reveal the answer after
    its timer). Returns the card's id."""
    sitting = desk.next_sitting()
    assert sitting is not None, "no card left today"
    card_id = sitting.card.id
    if not success:
        clock.advance(sitting.session.remaining() + 1)
        sitting.reveal()
    elif sitting.card.checkable:
        sitting.submit(ANSWERS[card_id])
    else:
        sitting.submit("in my own words")
        clock.advance(sitting.session.remaining())  # compared once the timer has run out
        sitting.compare()
        sitting.assess(set(range(len(sitting.card.key_ideas))))
    sitting.finish()
    return card_id


def study_days(open_desk: DeskFactory, clock: ManualClock, plan: str) -> Desk:
    """One character a study day: `+` a card reconstructed, `-` a card failed, `.` no study;
    then a day passes. Returns a desk opened on the day after the last."""
    for day in plan:
        if day != ".":
            study_one(open_desk(), clock, success=day == "+")
        clock.advance(86_400)
    return open_desk()


def screen_text(app: App[Any]) -> str:
    """The text on the terminal now, line by line, as the compositor draws it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


class Host(App[None]):
    """A bare app that opens one screen on top of its own: for the screens that take the desk
    (stats, decks) without the session that usually sits under them."""

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make

    def on_mount(self) -> None:
        self.push_screen(self.make())


def drive(
    make: Callable[[], Screen[Any]],
    scenario: Callable[[Host, Pilot[None]], Awaitable[None]],
    size: tuple[int, int] = (80, 24),
) -> None:
    """Open the screen in a `Host` at `size`, wait for what it loads, and run `scenario`."""

    async def main() -> None:
        app = Host(make)
        async with app.run_test(size=size) as pilot:
            await settled(pilot)
            await scenario(app, pilot)

    asyncio.run(main())


async def settled(pilot: Pilot[Any]) -> None:
    """Wait for the workers (the screens read the store in one) and the messages they send."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
