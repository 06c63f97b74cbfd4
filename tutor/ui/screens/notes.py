"""The notes pane: what confuses the learner, written down while the timer runs; last time's
note is shown above it. ctrl+s keeps the note, escape keeps it too (nothing typed is lost)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from tutor.ui.text import lines, plain


class NotesScreen(ModalScreen[str | None]):
    CSS_PATH = "notes.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", "Keep note", id="submit"),
        Binding("escape", "keep", "Close", id="leave"),
    ]

    def __init__(self, last_note: str | None, notes: list[str]) -> None:
        super().__init__()
        self.last_note = last_note
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(id="pane"):
            parts = []
            if self.last_note:
                parts.append(plain("Last time you wrote: ", "bold") + plain(self.last_note))
            for note in self.notes:
                parts.append(plain("Today: ", "bold") + plain(note))
            if not parts:
                parts.append(
                    plain(
                        "What confuses you? Writing it down helps, and the note comes back "
                        "with the card.",
                        "$text-muted",
                    )
                )
            yield Static(lines(*parts), id="earlier")
            editor = TextArea(soft_wrap=True, tab_behavior="focus", id="note")
            editor.border_title = "Note"
            yield editor
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_keep(self) -> None:
        self.dismiss(self.query_one(TextArea).text)
