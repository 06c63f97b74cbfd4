"""The notes pane: what confuses the learner, written down while the timer runs. Last time's
notes are listed above it with their dates, and ticking one (space) marks it resolved: it stops
coming back. ctrl+s keeps the note, escape keeps it too (nothing typed is lost)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, SelectionList, Static, TextArea

from tutor.today import Note
from tutor.ui.text import lines, plain


@dataclass(frozen=True)
class NotesResult:
    """What the pane gives back: the note written (maybe empty) and the notes resolved."""

    text: str
    resolved: list[Note] = field(default_factory=list)


class NotesScreen(ModalScreen[NotesResult | None]):
    CSS_PATH = "notes.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", "Keep note", id="submit"),
        Binding("escape", "keep", "Close", id="leave"),
    ]

    def __init__(self, last_notes: list[Note], notes: list[str], zone: tzinfo | None) -> None:
        super().__init__()
        self.last_notes = last_notes
        self.notes = notes
        self.zone = zone

    def compose(self) -> ComposeResult:
        with Vertical(id="pane"):
            if self.last_notes:
                yield Static(
                    plain(
                        "Last time you wrote (shift+tab, then space ticks what is resolved):",
                        "bold",
                    ),
                    id="last-title",
                )
                yield SelectionList[int](
                    *[
                        (f"{note_date(note, self.zone)} · {note.text}", n)
                        for n, note in enumerate(self.last_notes)
                    ],
                    id="resolved",
                )
            parts = []
            for note in self.notes:
                parts.append(plain("Today: ", "bold") + plain(note))
            if not parts and not self.last_notes:
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
        resolved: list[Note] = []
        if self.last_notes:
            ticked = self.query_one("#resolved", SelectionList).selected
            resolved = [self.last_notes[n] for n in sorted(ticked)]
        self.dismiss(NotesResult(self.query_one(TextArea).text, resolved))


def note_date(note: Note, zone: tzinfo | None) -> str:
    """The day a note was written, as the learner reads dates: Sat 05 Dec 2026."""
    return note.written_at.astimezone(zone).strftime("%a %d %b %Y")
