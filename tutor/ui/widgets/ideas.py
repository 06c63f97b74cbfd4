"""The key-ideas checklist of a self-assessed card: `[x]` and `[ ]` in words as well as colour,
so which ideas are ticked reads the same without colour. Space or enter ticks."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList

from tutor.ui.text import plain


class IdeasChecklist(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", "Tick", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ideas: list[Content] = []
        self.ticked: set[int] = set()

    def set_ideas(self, ideas: list[Content]) -> None:
        self.ideas = ideas
        self.ticked = set()
        self.clear_options()
        self.add_options(self._prompt(n) for n in range(len(ideas)))
        self.highlighted = 0

    def _prompt(self, index: int) -> Content:
        if index in self.ticked:
            return plain("[x] ", "bold $success") + self.ideas[index]
        return plain("[ ] ", "$text-muted") + self.ideas[index]

    def action_tick(self) -> None:
        index = self.highlighted
        if index is None:
            return
        self.ticked ^= {index}
        self.replace_option_prompt_at_index(index, self._prompt(index))

    def action_select(self) -> None:
        self.action_tick()
