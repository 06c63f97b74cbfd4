"""Nothing to study now: the streak, and when the next card comes. Calm, and nothing to do."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.ui.text import lines, plain


class RestScreen(Screen[None]):
    CSS_PATH = "rest.tcss"

    def __init__(self, *, done_today: bool, streak: str, next_card: str) -> None:
        super().__init__()
        self.done_today = done_today
        self.streak = streak
        self.next_card = next_card

    def compose(self) -> ComposeResult:
        head = "That is today's study done." if self.done_today else "Nothing to study now."
        with Vertical(id="rest"):
            yield Static(
                lines(
                    plain(head, "bold"),
                    plain(""),
                    plain("Streak: ", "$text-muted") + plain(self.streak),
                    plain("Next card: ", "$text-muted") + plain(self.next_card),
                ),
                id="text",
            )
        yield Footer()
