"""The stats screen, driven with Textual's pilot on a real database: the figures, the year's
heatmap and the forecast on screen at 80x24, and the keys that close it."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from textual.pilot import Pilot
from textual.widgets import Static

from tutor.overview import History, StudyDay
from tutor.study.clock import ManualClock
from tutor.study.learner import default_learner
from tutor.ui.screens.stats import StatsScreen
from tutor.ui.widgets.daybars import DayBars, bar_cells
from tutor.ui.widgets.heatmap import Heatmap, level, month_labels

from .conftest import DeskFactory, Host, drive, screen_text, study_days, study_one


def figure(app: Host, name: str) -> tuple[str, str, str]:
    """A figure's box: its title, its value and the note under it."""
    box = app.screen.query_one(f"#stats-{name}", Static)
    return str(box.border_title), str(box.render()), str(box.border_subtitle or "")


def test_the_day_after_a_first_card(open_desk: DeskFactory, clock: ManualClock) -> None:
    study_one(open_desk(), clock)  # Monday 2 March: double, Good, due on Wednesday the 4th
    desk = open_desk()

    async def scenario(app: Host, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, StatsScreen)
        assert figure(app, "streak") == ("Streak", "1 day", "today's done")
        assert figure(app, "longest") == ("Longest", "1 day", "")
        assert figure(app, "retention") == ("Retention", "–", "no repeats")
        assert figure(app, "reviews") == ("Reviews", "1", "1 today")
        shown = screen_text(app)
        assert "1 reconstruction on 1 day" in shown
        assert "Due, next 14 days  1 review, 0 today; 4 new cards waiting" in shown
        # the forecast: its count over Wednesday, the third column (five cells each)
        ahead = app.screen.query_one("#stats-ahead", DayBars)
        counts, *_, weekdays, dates = str(ahead.render()).split("\n")
        assert counts.split() == ["1"] and counts.index("1") == 2 * 5 + 2
        assert weekdays.split()[:3] == ["today", "Tue", "Wed"]
        assert dates.split()[:3] == ["2", "3", "4"]
        # the heatmap: one day reconstructed, the rest of the year not studied
        grid = str(app.screen.query_one("#stats-year", Heatmap).render())
        assert grid.count("█") == 1 + 1  # the day and the legend
        assert grid.count("·") == 364 + 1
        assert grid.count("□") == 0 + 1

    drive(lambda: StatsScreen(desk), scenario)


def test_streaks_retention_and_a_failed_day(open_desk: DeskFactory, clock: ManualClock) -> None:
    # 2 and 3 March reconstructed, the 4th failed (double, due), the 5th double again
    desk = study_days(open_desk, clock, "++-+")

    async def scenario(app: Host, pilot: Pilot[None]) -> None:
        assert figure(app, "streak") == ("Streak", "1 day", "study today")
        assert figure(app, "longest") == ("Longest", "2 days", "")
        assert figure(app, "retention") == ("Retention", "50%", "of repeats")
        assert figure(app, "reviews") == ("Reviews", "4", "0 today")
        grid = str(app.screen.query_one("#stats-year", Heatmap).render())
        assert (grid.count("█"), grid.count("□")) == (3 + 1, 1 + 1)
        # the last column is this week: Monday to Thursday studied, Friday (today) not yet
        rows = grid.split("\n")[1:8]
        assert [row[-1] if len(row) > 4 + 52 else " " for row in rows] == list("██□█·  ")
        shown = screen_text(app)
        assert "3 reconstructions on 3 days" in shown
        assert "Mon " in shown and "Mar" in shown

    drive(lambda: StatsScreen(desk), scenario)


def test_it_fits_80_columns_and_scrolls_to_the_last_section(open_desk: DeskFactory) -> None:
    desk = open_desk()

    async def scenario(app: Host, pilot: Pilot[None]) -> None:
        screen = app.screen
        for selector in ("#stats-year", "#stats-ahead", "#stats-recent", "#stats-figures"):
            assert screen.query_one(selector).region.right <= 80, selector
        assert "Reviews, last 30 days" not in screen_text(app)  # below the fold
        await pilot.press("end")
        assert "Reviews, last 30 days  0 reviews on 0 days, 0.0 a day" in screen_text(app)
        assert figure(app, "streak") == ("Streak", "0 days", "")

    drive(lambda: StatsScreen(desk), scenario)


def test_the_last_section_says_which_scheduler_parameters_are_in_use(
    open_desk: DeskFactory, clock: ManualClock
) -> None:
    import json

    from tutor.store.models import SchedulerFitRow
    from tutor.store.queries import save_fit
    from tutor.study.schedule import default_parameters

    desk = open_desk()

    def shown(app: Host) -> str:
        return " ".join(screen_text(app).split())  # the caption wraps at 80 columns

    async def defaults(app: Host, pilot: Pilot[None]) -> None:
        await pilot.press("end")
        assert (
            "Scheduler FSRS-6 defaults; fitted to your reviews once there are 1,000 (0 so far)"
            in shown(app)
        )

    drive(lambda: StatsScreen(desk), defaults)
    row = SchedulerFitRow(
        learner=default_learner(),
        fitted_at=clock.now(),
        reviews=1_234,
        heldout=200,
        default_loss=0.41234,
        fitted_loss=0.39876,
        kept=True,
        parameters=json.dumps(default_parameters()),
    )
    with desk.session() as session:
        save_fit(session=session, fit=row)

    async def fitted(app: Host, pilot: Pilot[None]) -> None:
        await pilot.press("end")
        assert (
            "Scheduler fitted on 2026-03-02 from 1,234 reviews (held-out log loss 0.3988 "
            "fitted, 0.4123 defaults)" in shown(app)
        )

    drive(lambda: StatsScreen(desk), fitted)


def test_escape_and_the_stats_key_go_back(open_desk: DeskFactory) -> None:
    desk = open_desk()
    for key in ("escape", "s"):

        async def scenario(app: Host, pilot: Pilot[None], key: str = key) -> None:
            assert isinstance(app.screen, StatsScreen)
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, StatsScreen)
            assert len(app.screen_stack) == 1

        drive(lambda: StatsScreen(desk), scenario)


def test_the_heatmap_names_the_months_and_grades_the_days() -> None:
    first, last = date(2025, 3, 5), date(2026, 3, 4)  # a Wednesday to a Wednesday
    days = tuple(
        StudyDay(date.fromordinal(n)) for n in range(first.toordinal(), last.toordinal() + 1)
    )
    labels = month_labels(History(first, last, days))
    assert list(labels.values()) == [
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
        "Jan",
        "Feb",
        "Mar",
    ]
    columns = sorted(labels)
    assert all(b - a >= 4 for a, b in pairwise(columns))  # no overlap
    assert columns[1] == 4  # Tuesday 1 April 2025 is in the fifth week shown
    # a month beginning in the second column takes the first column's name away
    short = month_labels(History(date(2026, 2, 18), date(2026, 3, 20), ()))
    assert short == {1: "Mar"}  # Sunday 1 March is in the week of Monday 23 February
    # levels: not studied, studied, then thirds of the busiest day
    assert [
        level(StudyDay(first, r, s), 6) for r, s in [(0, 0), (2, 0), (1, 1), (4, 4), (6, 6)]
    ] == [0, 1, 2, 3, 4]


def test_a_bar_is_as_long_as_its_count() -> None:
    assert bar_cells(0, 5, 2) == [" ", "·"]
    assert bar_cells(4, 4, 2) == ["█", "█"]
    assert bar_cells(1, 4, 2) == [" ", "▄"]  # a quarter of two cells: half of one
    assert bar_cells(1, 100, 2) == [" ", "▁"]  # never drawn as nothing
