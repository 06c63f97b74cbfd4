"""The hint ladder: locked while the confusion timer runs, then one hint at a time."""

from __future__ import annotations

import math

from textual.content import Content
from textual.widgets import Static

from tutor.study.session import format_countdown
from tutor.ui.text import block, lines, plain


class HintPanel(Static):
    DEFAULT_CSS = """
    HintPanel { height: auto; padding: 0 1; margin-top: 1; }
    """

    def show(
        self,
        shown: list[str],
        total: int,
        *,
        wait: float,
        locked: bool,
        thinking: bool,
        bottomed_out: bool,
        key: str,
    ) -> None:
        """`shown`: the hints taken (Markdown); `wait`: seconds until the next one (inf: none
        left); `locked`: the confusion timer still runs."""
        parts: list[Content] = []
        for n, source in enumerate(shown, 1):
            label = plain(f"Hint {n} of {total}: ", "bold")
            parts.append(label + block(source))
        if bottomed_out:
            parts.append(
                plain("That was the last hint: this card will count as not known yet.", "italic")
            )
        parts.append(
            plain(self.status(total, len(shown), wait, locked, thinking, key), "$text-muted")
        )
        self.update(lines(*parts))

    @staticmethod
    def status(total: int, taken: int, wait: float, locked: bool, thinking: bool, key: str) -> str:
        if total == 0:
            return "This card has no hints."
        if not thinking:
            return f"{taken} of {total} hints used."
        if locked:
            return f"Hints unlock in {format_countdown(wait)}."
        if math.isinf(wait):
            return "No hints left."
        if wait > 0:
            return f"The next hint unlocks in {format_countdown(wait)}."
        if total >= 2 and taken + 1 == total:
            return (
                f"Press {key} for the last hint, {taken + 1} of {total}: it all but gives the "
                "answer away, so the card will count as not known yet."
            )
        return f"Press {key} for hint {taken + 1} of {total}."
