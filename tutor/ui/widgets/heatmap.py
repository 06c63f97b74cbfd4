"""A calendar of study days, GitHub-style, in terminal cells: a column a week (Monday at the
top), one cell a day, month names above. Each day's glyph says what happened, so the grid
reads the same without colour; colour (theme variables) only repeats it."""

from __future__ import annotations

from datetime import date, timedelta
from math import ceil
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from tutor.overview import History, StudyDay

GUTTER = 4  # "Mon " before the first column
NOT_STUDIED = "·"
STUDIED = "□"  # reviewed, nothing reconstructed
LEVELS = ("▪", "■", "█")  # reconstructions, few to many
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LEGEND: tuple[tuple[str, int], ...] = (  # (text, style index: see Heatmap.lines)
    (NOT_STUDIED, 1),
    (" no study  ", 0),
    (STUDIED, 2),
    (" studied, not reconstructed  ", 0),
    (LEVELS[0], 3),
    (" ", 0),
    (LEVELS[1], 4),
    (" ", 0),
    (LEVELS[2], 5),
    (" reconstructions", 0),
)
LEGEND_WIDTH = sum(len(text) for text, _ in LEGEND)


def level(day: StudyDay, most: int) -> int:
    """0: not studied; 1: studied without a reconstruction; 2 to 4: reconstructions, in thirds
    of the busiest day's `most` (with one card a day, every reconstructed day is a 4)."""
    if day.successes > 0:
        return 1 + min(len(LEVELS), ceil(len(LEVELS) * day.successes / max(most, 1)))
    return 1 if day.reviews > 0 else 0


def weeks(history: History) -> tuple[date, int]:
    """The Monday of the first column, and how many columns."""
    start = history.first - timedelta(days=history.first.weekday())
    return start, (history.last - start).days // 7 + 1


def month_labels(history: History) -> dict[int, str]:
    """Month names by column: over the week each month begins in (the first column is named
    after the month of the first day), leaving out a name that would run into the next one:
    the later month keeps its name."""
    start, columns = weeks(history)
    wanted = [(0, history.first.strftime("%b"))]
    for column in range(columns):
        for offset in range(7):
            day = start + timedelta(days=7 * column + offset)
            if day.day == 1 and history.first < day <= history.last:
                wanted.append((column, day.strftime("%b")))
    labels: dict[int, str] = {}
    free_from = columns + 3  # a name may stick out two cells past the last column
    for column, name in reversed(wanted):
        if column + len(name) < free_from:
            labels[column] = name
            free_from = column
    return dict(sorted(labels.items()))


class Heatmap(Widget):
    """A year (or any span) of study days: `Heatmap(history)`, or set `heatmap.history`."""

    PARTS = (
        "heatmap--label",
        "heatmap--none",
        "heatmap--studied",
        "heatmap--level-1",
        "heatmap--level-2",
        "heatmap--level-3",
    )
    """The styled parts, in the order `render` indexes them."""
    COMPONENT_CLASSES: ClassVar[set[str]] = set(PARTS)

    DEFAULT_CSS = """
    Heatmap {
        width: auto;
        height: auto;
    }
    Heatmap > .heatmap--label {
        color: $text-muted;
    }
    Heatmap > .heatmap--none {
        color: $text-muted;
    }
    Heatmap > .heatmap--studied {
        color: $warning;
    }
    Heatmap > .heatmap--level-1 {
        color: $success 60%;
    }
    Heatmap > .heatmap--level-2 {
        color: $success 80%;
    }
    Heatmap > .heatmap--level-3 {
        color: $success;
    }
    """

    history: reactive[History | None] = reactive(None, layout=True)

    def __init__(
        self,
        history: History | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(Heatmap.history, history)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        if self.history is None:
            return LEGEND_WIDTH
        return max(GUTTER + weeks(self.history)[1] + 2, LEGEND_WIDTH)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 + 7 + 1  # months, the days of the week, the legend

    def lines(self) -> list[list[tuple[str, int]]]:
        """The grid as rows of (text, style index): 0 label, 1 not studied, 2 studied, 3 to 5
        the reconstruction levels, -1 outside the history."""
        history = self.history
        if history is None or not history.days:
            return []
        start, columns = weeks(history)
        most = max(d.successes for d in history.days)
        row = list(" " * (GUTTER + columns + 2))
        for column, name in month_labels(history).items():
            row[GUTTER + column : GUTTER + column + len(name)] = name
        out: list[list[tuple[str, int]]] = [[("".join(row).rstrip(), 0)]]
        for weekday in range(7):
            cells: list[tuple[str, int]] = [(WEEKDAYS[weekday].ljust(GUTTER), 0)]
            for column in range(columns):
                day = start + timedelta(days=7 * column + weekday)
                if day < history.first or day > history.last:
                    cells.append((" ", -1))
                    continue
                found = level(history.on(day), most)
                glyph = (NOT_STUDIED, STUDIED, *LEVELS)[found]
                cells.append((glyph, found + 1))
            out.append(cells)
        out.append(list(LEGEND))
        return out

    def render(self) -> RenderResult:
        styles = [self.get_component_rich_style(name) for name in self.PARTS]
        text = Text(no_wrap=True, overflow="crop", end="")
        for number, row in enumerate(self.lines()):
            if number:
                text.append("\n")
            for part, style in row:
                text.append(part, styles[style] if style >= 0 else Style())
        return text
