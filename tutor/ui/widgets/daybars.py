"""Counts per day as a small bar chart: a column a day, bars in eighths of a cell, a day
without any shown as `·`; for a short span each count is written above its bar and each day
named below it. Heights, dots and digits carry it all, so the chart reads the same without
colour."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar, Literal

from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

EIGHTHS = " ▁▂▃▄▅▆▇█"
NOTHING = "·"


def bar_cells(count: int, most: int, height: int) -> list[str]:
    """The glyphs of one bar, top row first: its length in eighths of a cell is in proportion
    to `count` of `most`, and any count above zero shows at least an eighth."""
    if count <= 0 or most <= 0:
        return [" "] * (height - 1) + [NOTHING]
    eighths = max(1, round(8 * height * count / most))
    return [EIGHTHS[max(0, min(8, eighths - 8 * row))] for row in reversed(range(height))]


class DayBars(Widget):
    """`DayBars(bar_height=2)`; set `days` to a sequence of (day, count).

    `labels="days"`: columns of five cells, each count written above its bar and each day
    named below it (weekday, then day of the month), the first day as `first_label`.
    `labels="ends"`: columns of two cells for a longer span, no counts, and below the bars
    only the first day's date and, at the right end, `last_label`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "daybars--bar",
        "daybars--count",
        "daybars--label",
        "daybars--nothing",
    }

    DEFAULT_CSS = """
    DayBars {
        width: auto;
        height: auto;
    }
    DayBars > .daybars--bar {
        color: $accent;
    }
    DayBars > .daybars--count {
        color: $foreground;
    }
    DayBars > .daybars--label {
        color: $text-muted;
    }
    DayBars > .daybars--nothing {
        color: $text-muted;
    }
    """

    days: reactive[tuple[tuple[date, int], ...]] = reactive((), layout=True)

    def __init__(
        self,
        days: Sequence[tuple[date, int]] = (),
        *,
        bar_height: int = 2,
        labels: Literal["days", "ends"] = "days",
        first_label: str = "today",
        last_label: str = "today",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.bar_height = max(1, bar_height)
        self.labels = labels
        self.first_label = first_label
        self.last_label = last_label
        self.column = 5 if labels == "days" else 2
        self.set_reactive(DayBars.days, tuple(days))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(1, self.column * len(self.days))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.labels == "days":
            return 1 + self.bar_height + 2  # counts, bars, weekdays, days of the month
        return self.bar_height + 1  # bars, the first and last day

    def rows(self) -> list[list[tuple[str, str]]]:
        """The chart as rows of (text, component class)."""
        days = self.days
        if not days:
            return []
        most = max(count for _, count in days)
        width = self.column
        bar_width = max(1, width - 2)
        left = (width - bar_width) // 2
        bars = [bar_cells(count, most, self.bar_height) for _, count in days]
        out: list[list[tuple[str, str]]] = []
        if self.labels == "days":
            counts = [(str(count) if count else "").center(width) for _, count in days]
            out.append([(text, "daybars--count") for text in counts])
        for row in range(self.bar_height):
            cells = []
            for bar in bars:
                cell = bar[row]
                if cell == NOTHING:
                    cells.append((cell.center(width), "daybars--nothing"))
                else:
                    cells.append(((" " * left + cell * bar_width).ljust(width), "daybars--bar"))
            out.append(cells)
        if self.labels == "days":
            names = [day.strftime("%a") for day, _ in days]
            names[0] = self.first_label or names[0]
            out.append([(name.center(width), "daybars--label") for name in names])
            out.append([(str(day.day).center(width), "daybars--label") for day, _ in days])
        else:
            first = f"{days[0][0].day} {days[0][0]:%b}"
            span = width * len(days)
            gap = max(1, span - len(first) - len(self.last_label))
            out.append([(first + " " * gap + self.last_label, "daybars--label")])
        return out

    def render(self) -> RenderResult:
        text = Text(no_wrap=True, overflow="crop", end="")
        for number, row in enumerate(self.rows()):
            if number:
                text.append("\n")
            for part, component in row:
                text.append(part, self.get_component_rich_style(component))
        return text
