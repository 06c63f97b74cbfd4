"""Nothing to study now: the streak, and when the next card comes. Calm, and nothing to do but
take one more card, when one is waiting and the learner wants it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.ui.text import lines, plain


class RestScreen(Screen[None]):
    CSS_PATH = "rest.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("m", "more", "One more", id="more")]

    class OneMore(Message):
        """The learner takes one more card beyond the day's plan."""

    def __init__(
        self, *, done_today: bool, streak: str, next_card: str, one_more: str | None = None
    ) -> None:
        """`one_more`: the key that takes one more card (None: no card is waiting)."""
        super().__init__()
        self.done_today = done_today
        self.streak = streak
        self.next_card = next_card
        self.one_more = one_more

    def compose(self) -> ComposeResult:
        head = "That is today's study done." if self.done_today else "Nothing to study now."
        parts = [
            plain(head, "bold"),
            plain(""),
            plain("Streak: ", "$text-muted") + plain(self.streak),
            plain("Next card: ", "$text-muted") + plain(self.next_card),
        ]
        if self.one_more is not None:
            key = plain(self.one_more, "bold")
            parts += [plain(""), plain("Take one more card? Press ") + key + plain(".")]
        with Vertical(id="rest"):
            yield Static(lines(*parts), id="text")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.one_more is not None if action == "more" else True

    def action_more(self) -> None:
        self.one_more = None  # one card per press
        self.post_message(self.OneMore())
