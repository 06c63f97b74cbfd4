"""A few screens as pictures (pytest-textual-snapshot): a fixed terminal of 80x24, a clock the
test sets, no cursor blink. Regenerate after a deliberate change with
`pytest -n 0 tests/ui/test_snapshots.py --snapshot-update`, and look at the pictures in the
report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import TextArea

from tutor.study.clock import ManualClock
from tutor.ui.app import TutorApp

from .conftest import DeskFactory, study_days

SIZE = (80, 24)


async def steady(pilot: Pilot[Any]) -> None:
    """No blinking cursor, every worker done, every message handled."""
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    for _ in range(3):
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def then(*keys: str, before: Callable[[Pilot[Any]], Any] | None = None) -> Callable[..., Any]:
    """Steps before the picture: `before(pilot)`, then the keys, each followed by waiting for
    the workers (a check runs in a thread), so the picture never races a verdict."""

    async def run(pilot: Pilot[Any]) -> None:
        await steady(pilot)
        if before is not None:
            before(pilot)
        for key in keys:
            await pilot.press(key)
            await steady(pilot)

    return run


def test_the_card_as_it_opens(snap_compare: Any, open_desk: DeskFactory) -> None:
    app = TutorApp(open_desk(), preview_delay=0, welcome=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=then())


def test_a_wrong_answer_its_verdict_and_the_preview(
    snap_compare: Any, open_desk: DeskFactory, clock: ManualClock
) -> None:
    app = TutorApp(open_desk(), preview_delay=0, welcome=False)

    def later(pilot: Pilot[Any]) -> None:
        clock.advance(200)

    assert snap_compare(
        app, terminal_size=SIZE, run_before=then("3", "x", "ctrl+s", "plus", before=later)
    )


def test_the_end_of_a_card(snap_compare: Any, open_desk: DeskFactory) -> None:
    app = TutorApp(open_desk(), preview_delay=0, welcome=False)
    assert snap_compare(
        app, terminal_size=SIZE, run_before=then("2", "x", "ctrl+s", "escape", "enter")
    )


def test_the_welcome_in_the_light_theme(snap_compare: Any, open_desk: DeskFactory) -> None:
    app = TutorApp(open_desk(), preview_delay=0)

    def light(pilot: Pilot[Any]) -> None:
        pilot.app.theme = "textual-light"

    assert snap_compare(app, terminal_size=SIZE, run_before=then(before=light))


def test_the_stats_after_a_week(
    snap_compare: Any, open_desk: DeskFactory, clock: ManualClock
) -> None:
    desk = study_days(open_desk, clock, "++.+-++")
    app = TutorApp(desk, preview_delay=0, welcome=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=then("escape", "s"))
