"""The first launch: one screen on how a day goes and what the confusion timer is for."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.deck.duration import format_duration
from tutor.ui.text import lines, plain


class WelcomeScreen(Screen[None]):
    CSS_PATH = "welcome.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "begin", "Begin", id="next")]

    def __init__(self, timer: int, keys: dict[str, str]) -> None:
        super().__init__()
        self.timer = timer
        self.keys = keys

    def compose(self) -> ComposeResult:
        k = self.keys
        minutes = (
            f"{self.timer // 60} minute{'s' if self.timer != 60 else ''}"
            if self.timer % 60 == 0
            else format_duration(self.timer)
        )
        with VerticalScroll(id="welcome"):
            yield Static(
                lines(
                    plain("Welcome to proof-tutor", "bold"),
                    plain(""),
                    plain(
                        "Each day brings one new card, a definition, a fact or a step of a "
                        "proof, after the reviews that are due. "
                        "Rebuild each card from first principles: as a formula where a machine can "
                        "check it, in your own words where you compare with the key ideas."
                    ),
                    plain(""),
                    plain("The confusion timer", "bold"),
                    plain(
                        f"For the first {minutes} of a new card, the hints and the answer stay "
                        "locked. Sit with the question: the stretch of not-yet-understanding is "
                        "where understanding forms. Write down what confuses you "
                        f"({k['notes']}); the note comes back with the card."
                    ),
                    plain(""),
                    plain(
                        f"Answer whenever you like ({k['submit']}): formulas are checked by "
                        "machine and you see how your answer was read. Once the timer has run "
                        f"out, {k['hint']} gives one hint at a time and {k['reveal']} shows the "
                        "answer."
                    ),
                    plain(""),
                    plain(
                        "What happened sets when the card returns: rebuilt without hints is "
                        "Good, with hints or after two wrong guesses Hard, revealed (or the "
                        "last hint taken) Again; u takes back a rating you did not mean. Your "
                        "streak counts the days you rebuild a card."
                    ),
                    plain(""),
                    plain(f"Press {k['next']} for today's card.", "bold"),
                ),
                id="text",
            )
        yield Footer()

    def action_begin(self) -> None:
        self.dismiss(None)
