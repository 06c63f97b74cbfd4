"""Study days: a day starts at `day_starts_at` local time (default 4 a.m.), so a session at
1 a.m. still counts for the evening before."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo


def study_day(instant: datetime, zone: tzinfo | None, starts_at: time = time(4, 0)) -> date:
    """The study day `instant` belongs to, in time zone `zone` (None: the system's local)."""
    local = instant.astimezone(zone)
    shift = timedelta(hours=starts_at.hour, minutes=starts_at.minute)
    return (local - shift).date()


def day_bounds(
    day: date, zone: tzinfo | None, starts_at: time = time(4, 0)
) -> tuple[datetime, datetime]:
    """The instants [start, end) of study day `day`, as aware datetimes in `zone`."""
    start_naive = datetime.combine(day, starts_at)
    start = start_naive.replace(tzinfo=zone) if zone is not None else start_naive.astimezone()
    end_naive = datetime.combine(day + timedelta(days=1), starts_at)
    end = end_naive.replace(tzinfo=zone) if zone is not None else end_naive.astimezone()
    return start, end
