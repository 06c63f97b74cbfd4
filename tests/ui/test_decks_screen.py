"""The deck browser, driven with Textual's pilot on a real database: decks → cards → a card's
preview and back with the keys, where each card stands, and the answer kept hidden until asked."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, DataTable

from tutor.overview import CardOverview, CardStatus
from tutor.study.clock import ManualClock
from tutor.ui.screens.decks import DecksScreen, due_text

from .conftest import DeskFactory, Host, drive, screen_text, study_days, study_one


def pane(app: Host) -> str | None:
    return app.screen.query_one("#decks-panes", ContentSwitcher).current


def row_text(app: Host, table_id: str, key: str) -> list[str]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [str(cell) for cell in table.get_row(key)]


def test_from_the_decks_to_a_card_and_back(open_desk: DeskFactory, clock: ManualClock) -> None:
    study_one(open_desk(), clock)  # Monday 2 March: double, Good, due on Wednesday the 4th
    desk = open_desk()

    async def scenario(app: Host, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, DecksScreen) and pane(app) == "decks-list"
        assert row_text(app, "decks-list", "mini") == ["Mini deck", "deck", "3", "2", "0", "1"]
        assert row_text(app, "decks-list", "zero-proof") == [
            "Adding zero",  # the escape sequence in its title is gone
            "proof",
            "2",
            "2",
            "0",
            "0",
        ]
        shown = screen_text(app)
        assert "Mini deck" in shown and "Adding zero" in shown and "\x1b" not in shown

        await pilot.press("enter")  # the first deck
        assert pane(app) == "decks-cards"
        assert row_text(app, "decks-cards", "double") == ["1", "Double", "review", "Wed 4 Mar", "1"]
        assert row_text(app, "decks-cards", "square") == ["2", "Square", "new", "—", "—"]
        shown = screen_text(app)
        assert "Decks › Mini deck" in shown and "Wed 4 Mar" in shown

        await pilot.press("enter")  # the first card
        assert pane(app) == "decks-card"
        shown = screen_text(app)
        assert "Decks › Mini deck › Double" in shown
        assert "What is x + x as a product?" in shown
        assert "3 hints · checked by machine" in shown
        assert "review · due Wed 4 Mar · 1 in a row" in shown
        assert "2x" not in shown and "Answer hidden" in shown  # no spoiler
        await pilot.press("a")
        shown = screen_text(app)
        assert "2x" in shown and "Answer hidden" not in shown
        await pilot.press("a")
        assert "2x" not in screen_text(app)

        await pilot.press("escape")
        assert pane(app) == "decks-cards"
        await pilot.press("down", "enter")  # the next card: square, the answer hidden again
        shown = screen_text(app)
        assert "Say what the square of x is." in shown and "builds on Double" in shown
        assert "self-assessed on 2 key ideas" in shown and "multiplied by itself" not in shown
        await pilot.press("escape", "escape")
        assert pane(app) == "decks-list"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DecksScreen)

    drive(lambda: DecksScreen(desk), scenario)


def test_a_proof_step_shows_its_statement_and_place(open_desk: DeskFactory) -> None:
    desk = open_desk()

    async def scenario(app: Host, pilot: Pilot[None]) -> None:
        await pilot.press("down", "enter")  # the proof
        assert row_text(app, "decks-cards", "zero-2") == ["2", "Simplify it", "new", "—", "—"]
        await pilot.press("down", "enter")  # its second step
        shown = screen_text(app)
        assert "Theorem. a + 0 = a for every number a." in shown
        assert "Step 2 of 2" in shown and "Simplify the left side." in shown
        assert "\x1b" not in shown and "[2J" not in shown

    drive(lambda: DecksScreen(desk), scenario)


def test_the_decks_key_closes_the_browser_from_a_card(open_desk: DeskFactory) -> None:
    desk = open_desk()

    async def scenario(app: Host, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "enter")
        assert pane(app) == "decks-card"
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, DecksScreen) and len(app.screen_stack) == 1

    drive(lambda: DecksScreen(desk), scenario)


def test_the_answer_key_only_works_on_a_card(open_desk: DeskFactory) -> None:
    desk = open_desk()

    async def scenario(app: Host, pilot: Pilot[None]) -> None:
        screen = app.screen
        assert isinstance(screen, DecksScreen)
        footer = screen_text(app).splitlines()[-1]
        assert "Answer" not in footer and "Back" in footer
        await pilot.press("a")
        assert pane(app) == "decks-list" and not screen.answer_shown
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert "Answer" in screen_text(app).splitlines()[-1]

    drive(lambda: DecksScreen(desk), scenario)


def test_cards_due_today_and_later(open_desk: DeskFactory, clock: ManualClock) -> None:
    desk = study_days(open_desk, clock, "++-")  # today is Thursday 5 March

    async def scenario(app: Host, pilot: Pilot[None]) -> None:
        assert row_text(app, "decks-list", "mini")[2:] == ["3", "1", "2", "2"]
        await pilot.press("enter")
        assert row_text(app, "decks-cards", "double")[2:] == ["relearning", "today", "0"]
        assert row_text(app, "decks-cards", "square")[2:] == ["review", "today", "1"]

    drive(lambda: DecksScreen(desk), scenario)


def test_it_reads_well_at_80_and_100_columns(open_desk: DeskFactory) -> None:
    desk = open_desk()
    for size in ((80, 24), (100, 30)):

        async def scenario(app: Host, pilot: Pilot[None], width: int = size[0]) -> None:
            table = app.screen.query_one("#decks-list", DataTable)
            assert table.region.right <= width
            assert table.virtual_size.width <= table.region.width  # no sideways scrolling

        drive(lambda: DecksScreen(desk), scenario, size=size)


def test_due_dates_read_as_days() -> None:
    today = date(2026, 3, 5)

    def card(due_day: date | None, due_now: bool = False) -> CardOverview:
        return CardOverview("c", "C", "fact", 0, CardStatus.REVIEW, None, due_day, due_now, 1, None)

    assert [
        due_text(card(None), today),
        due_text(card(date(2026, 3, 3), True), today),
        due_text(card(date(2026, 3, 6)), today),
        due_text(card(date(2026, 3, 9)), today),
        due_text(card(date(2027, 1, 2)), today),
    ] == ["—", "today", "tomorrow", "Mon 9 Mar", "2 Jan 2027"]


def test_the_card_under_study_keeps_its_answer_in_the_browser(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    """The browser is no way around the confusion timer, nor around a reveal's rating: while a
    card is being studied, its preview shows neither its answer nor why it matters, even once
    the timer has run out; other cards' answers still show on `a`, and the card's own once it
    is done."""
    desk = open_desk()
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.card_id == "double"

    async def scenario(app: Host, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "enter")  # the mini deck, then double: the card under study
        assert "What is x + x as a product?" in screen_text(app)
        for _ in range(2):
            await pilot.press("a")
            shown = screen_text(app)
            assert "You are studying this card" in shown and "2x" not in shown
            clock.advance(3_600)  # the timer has run out: still the study screen's to show
        assert not isinstance(app.screen, DecksScreen) or not app.screen.answer_shown
        await pilot.press("escape", "down", "enter")  # square, not under study
        await pilot.press("a")
        assert "multiplied by itself" in screen_text(app)
        sitting.submit("2x")
        sitting.finish()
        await pilot.press("escape", "up", "enter", "a")  # double again, now done
        assert "2x" in screen_text(app)

    drive(lambda: DecksScreen(desk, studying=lambda: sitting), scenario)
