"""Study days: a day starts at `day_starts_at` local time (default 4 a.m.), so a session at
1 a.m. still counts for the evening before."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo


def study_day(instant: datetime, zone: tzinfo | None, starts_at: time = time(4, 0)) -> date:
    """The study day `instant` belongs to, in time zone `zone` (None: the system's local):
    the day whose `day_bounds` hold it. A start that falls in a daylight-saving gap (2:30 on
    the night the clocks skip from 2 to 3) or fold is read as `day_bounds` reads it, so the two
    never disagree."""
    local = instant.astimezone(zone)
    shift = timedelta(hours=starts_at.hour, minutes=starts_at.minute)
    day = (local - shift).date()
    start, end = day_bounds(day, zone, starts_at)
    if instant < start and day > date.min:
        return day - timedelta(days=1)
    if instant >= end and day < date.max:
        return day + timedelta(days=1)
    return day


def day_bounds(
    day: date, zone: tzinfo | None, starts_at: time = time(4, 0)
) -> tuple[datetime, datetime]:
    """The instants [start, end) of study day `day`, as aware datetimes in `zone`."""
    start_naive = datetime.combine(day, starts_at)
    start = start_naive.replace(tzinfo=zone) if zone is not None else start_naive.astimezone()
    end_naive = datetime.combine(day + timedelta(days=1), starts_at)
    end = end_naive.replace(tzinfo=zone) if zone is not None else end_naive.astimezone()
    return start, end
