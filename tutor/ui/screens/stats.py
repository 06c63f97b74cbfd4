"""Progress at a glance: the streaks, a year of reconstructions, the reviews of the last
thirty days, retention, and the reviews due in the next fourteen. Read-only; the figures come
from `tutor.overview`, read in a worker when the screen opens."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.overview import StatsOverview, stats_overview
from tutor.ui.text import plain
from tutor.ui.widgets.daybars import DayBars
from tutor.ui.widgets.heatmap import Heatmap
from tutor.wording import scheduler_in_use

if TYPE_CHECKING:
    from tutor.today import Desk

RECENT_DAYS = 30
AHEAD_DAYS = 14


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class StatsScreen(Screen[None]):
    """`StatsScreen(desk)`: escape (or the stats key again) goes back."""

    CSS_PATH = "stats.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        # the key that opened the screen closes it (remapped with it: same binding id)
        Binding("s", "close", "Back", show=False, id="stats"),
    ]

    def __init__(self, desk: Desk, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.desk = desk
        self.figures: StatsOverview | None = None

    def compose(self) -> ComposeResult:
        yield Static(plain("Stats", "bold"), id="stats-title")
        with VerticalScroll(id="stats-body"):
            with Horizontal(id="stats-figures"):
                yield Static(classes="stats-figure", id="stats-streak")
                yield Static(classes="stats-figure", id="stats-longest")
                yield Static(classes="stats-figure", id="stats-retention")
                yield Static(classes="stats-figure", id="stats-reviews")
            yield Static(
                plain("Reading your progress…"), classes="stats-caption", id="stats-year-caption"
            )
            yield Heatmap(id="stats-year")
            yield Static(classes="stats-caption", id="stats-ahead-caption")
            yield DayBars(labels="days", bar_height=2, id="stats-ahead")
            yield Static(classes="stats-caption", id="stats-recent-caption")
            yield DayBars(labels="ends", bar_height=2, id="stats-recent")
            yield Static(classes="stats-caption", id="stats-proofs")
            yield Static(classes="stats-caption", id="stats-scheduler")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#stats-body").focus()
        self.load()

    @work(exclusive=True, group="stats")
    async def load(self) -> None:
        from tutor.store.errors import StoreError

        try:
            figures = await asyncio.to_thread(stats_overview, self.desk, days=365, ahead=AHEAD_DAYS)
        except StoreError as failed:
            self.query_one("#stats-year-caption", Static).update(plain(f"Cannot read: {failed}"))
            return
        self.show(figures)

    def show(self, figures: StatsOverview) -> None:
        self.figures = figures
        stats = figures.stats
        streak = stats.streak
        if figures.reconstructed_today:
            alive = "today's done"
        elif streak.current:
            alive = "study today"
        else:
            alive = ""
        self._figure("#stats-streak", "Streak", _days(streak.current), alive)
        self._figure("#stats-longest", "Longest", _days(streak.longest), "")
        if stats.retention is None:
            self._figure("#stats-retention", "Retention", "–", "no repeats")
        else:
            self._figure("#stats-retention", "Retention", f"{stats.retention:.0%}", "of repeats")
        self._figure(
            "#stats-reviews", "Reviews", str(stats.reviews_total), f"{stats.reviews_today} today"
        )

        year = figures.history
        self.query_one("#stats-year-caption", Static).update(
            _caption(
                "Reconstructions, past year",
                f"{_count(year.successes, 'reconstruction')} on "
                f"{_count(year.days_reconstructed, 'day')}",
            )
        )
        self.query_one("#stats-year", Heatmap).history = year

        recent = year.recent(RECENT_DAYS)
        mean = recent.reviews / len(recent.days) if recent.days else 0.0
        self.query_one("#stats-recent-caption", Static).update(
            _caption(
                f"Reviews, last {RECENT_DAYS} days",
                f"{_count(recent.reviews, 'review')} on {_count(recent.days_studied, 'day')}, "
                f"{mean:.1f} a day",
            )
        )
        self.query_one("#stats-recent", DayBars).days = tuple(
            (d.day, d.reviews) for d in recent.days
        )

        ahead = figures.forecast
        total = sum(d.due for d in ahead)
        self.query_one("#stats-ahead-caption", Static).update(
            _caption(
                f"Due, next {AHEAD_DAYS} days",
                f"{_count(total, 'review')}, {stats.due_today + stats.proofs_due_today} today; "
                f"{_count(stats.cards_new, 'new card')} waiting",
            )
        )
        self.query_one("#stats-ahead", DayBars).days = tuple((d.day, d.due) for d in ahead)

        due = f"; {stats.proofs_due_today} due today" if stats.proofs_due_today else ""
        self.query_one("#stats-proofs", Static).update(
            _caption(
                "Proofs rebuilt whole",
                f"{stats.proofs_rebuilt} of {stats.proofs_total}, from the statement alone{due}",
            )
        )
        self.query_one("#stats-scheduler", Static).update(
            _caption(
                "Scheduler",
                scheduler_in_use(stats.last_fit, stats.reviews_total, self.desk.zone),
            )
        )

    def _figure(self, selector: str, title: str, value: str, note: str) -> None:
        figure = self.query_one(selector, Static)
        figure.border_title = title
        figure.border_subtitle = note
        figure.update(plain(value, "bold"))

    def action_close(self) -> None:
        self.dismiss()


def _caption(title: str, detail: str) -> Content:
    return plain(title, "bold") + plain(f"  {detail}", "$text-muted")
