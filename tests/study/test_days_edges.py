"""Study days at the clock's edges: a day start inside a daylight-saving gap or fold, and clocks
far in the future."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.study.clock import environment_clock
from tutor.study.days import day_bounds, study_day

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    offset=st.integers(0, 3 * 366 * 24 * 4),
)
def test_every_instant_lies_in_the_bounds_of_its_study_day(
    zone: str, hour: int, minute: int, offset: int
) -> None:
    tz = ZoneInfo(zone)
    instant = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=15 * offset)
    starts = time(hour, minute)
    day = study_day(instant, tz, starts)
    start, end = day_bounds(day, tz, starts)
    assert start <= instant < end


@pytest.mark.parametrize("minutes", range(-90, 150, 15))
def test_a_day_start_in_the_spring_gap(minutes: int) -> None:
    # Berlin skips from 02:00 to 03:00 on 2026-03-29; the day starts at 02:30
    berlin = ZoneInfo("Europe/Berlin")
    instant = datetime(2026, 3, 29, 1, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    day = study_day(instant, berlin, time(2, 30))
    start, end = day_bounds(day, berlin, time(2, 30))
    assert start <= instant < end
    # the day before the gap ends where the gap's day begins: no instant belongs to neither
    _, previous_end = day_bounds(day - timedelta(days=1), berlin, time(2, 30))
    assert previous_end == start or previous_end.astimezone(UTC) == start.astimezone(UTC)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9999-12-30T12:00:00+00:00", "outside the years 1970 to 9000"),
        ("0001-01-01T00:00:00+00:00", "outside the years 1970 to 9000"),
        ("tomorrow", "is not an ISO date and time"),
    ],
)
def test_a_clock_out_of_range_is_refused_with_one_line(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        environment_clock({"TUTOR_CLOCK": value})


def test_a_clock_in_range_is_kept() -> None:
    clock = environment_clock({"TUTOR_CLOCK": "8999-06-01T12:00:00+00:00"})
    assert clock is not None and clock.now() == datetime(8999, 6, 1, 12, tzinfo=UTC)
