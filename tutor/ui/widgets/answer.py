"""The answer editor: several lines of reconstruction; ctrl+s submits, escape leaves."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea

from tutor.check.clean import strip_controls


class AnswerEditor(TextArea):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit", id="submit"),
        Binding("escape", "leave", "Leave editor", id="leave"),
    ]

    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Left(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder="Your reconstruction as a formula, like e^(a+b) or {1, 2} or a <= b.",
            id=id,
        )

    async def _on_paste(self, event: events.Paste) -> None:
        """Pasted text is inserted cleaned of escape sequences and control and format
        characters (lines and tabs kept, CRLF as one line break), as plain mode refuses them:
        a paste from a web page or a terminal must not put invisible text in an answer."""
        event.prevent_default()
        await super()._on_paste(events.Paste(strip_controls(event.text.replace("\r\n", "\n"))))

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self.text))

    def action_leave(self) -> None:
        self.post_message(self.Left())
