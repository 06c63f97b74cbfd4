"""Study days at the 4 a.m. boundary and across time zones, and a month of streaks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tutor.study.days import day_bounds, study_day
from tutor.study.streaks import Streak, card_run, streak

PARIS = ZoneInfo("Europe/Paris")
TOKYO = ZoneInfo("Asia/Tokyo")


def test_the_day_starts_at_four_in_the_morning_local_time() -> None:
    late = datetime(2026, 11, 22, 2, 30, tzinfo=PARIS)  # 2:30 a.m. still counts for the 21st
    early = datetime(2026, 11, 22, 4, 0, tzinfo=PARIS)
    assert study_day(late, PARIS) == date(2026, 11, 21)
    assert study_day(early, PARIS) == date(2026, 11, 22)
    assert study_day(late, PARIS, time(0, 0)) == date(2026, 11, 22)


def test_the_same_instant_is_a_different_day_in_another_zone() -> None:
    instant = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)  # 21:00 Paris, 05:00 next day Tokyo
    assert study_day(instant, PARIS) == date(2026, 11, 21)
    assert study_day(instant, TOKYO) == date(2026, 11, 22)


def test_day_bounds_across_daylight_saving() -> None:
    start, end = day_bounds(date(2026, 3, 28), PARIS)  # clocks go forward on the 29th
    assert start == datetime(2026, 3, 28, 4, 0, tzinfo=PARIS)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
    assert study_day(start, PARIS) == date(2026, 3, 28)
    assert study_day(end - timedelta(seconds=1), PARIS) == date(2026, 3, 28)


def test_a_month_of_daily_use_with_gaps() -> None:
    first = date(2026, 11, 1)
    studied = [first + timedelta(days=d) for d in range(30) if d not in (7, 8, 20)]
    # days 0-6 (7), 9-19 (11), 21-29 (9)
    assert streak(studied, today=first + timedelta(days=29)) == Streak(current=9, longest=11)
    # the next morning, before studying, the streak is still alive
    assert streak(studied, today=first + timedelta(days=30)).current == 9
    # a day missed breaks it
    assert streak(studied, today=first + timedelta(days=31)).current == 0
    assert streak([], today=first) == Streak(0, 0)
    assert streak([first, first], today=first) == Streak(1, 1)


def test_a_late_night_session_keeps_the_streak() -> None:
    sessions = [datetime(2026, 11, d, 21, 0, tzinfo=PARIS) for d in (1, 2)]
    sessions.append(datetime(2026, 11, 4, 1, 30, tzinfo=PARIS))  # the night of the 3rd
    days = [study_day(s, PARIS) for s in sessions]
    assert streak(days, today=date(2026, 11, 3)) == Streak(3, 3)


def test_card_run_counts_successes_since_the_last_failure() -> None:
    assert card_run([True, True, False, True, True, True]) == 3
    assert card_run([True, False]) == 0
    assert card_run([]) == 0
