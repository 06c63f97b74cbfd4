"""Time as a parameter: the domain never reads the system clock itself.

A clock gives two readings: `now()`, the wall-clock instant (timezone-aware UTC), used for dates
and scheduling; and `monotonic()`, seconds from an arbitrary origin that never jumps, used to
measure active time, so that changing the system clock unlocks nothing.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to: for tests and simulations."""

    def __init__(self, start: datetime, monotonic: float = 1000.0) -> None:
        if start.tzinfo is None:
            raise ValueError("the start of a ManualClock must be timezone-aware")
        self._now = start.astimezone(UTC)
        self._monotonic = monotonic

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, seconds: float) -> None:
        """Time passes: both readings move together."""
        if seconds < 0:
            raise ValueError("time does not run backwards; use jump_wall_clock for that")
        self._now += timedelta(seconds=seconds)
        self._monotonic += seconds

    def jump_wall_clock(self, seconds: float) -> None:
        """The user changes the system clock: only the wall clock moves."""
        self._now += timedelta(seconds=seconds)


def environment_clock(environ: Mapping[str, str]) -> Clock | None:
    """A manual clock when TUTOR_CLOCK holds an ISO instant (for trying a month of study in a
    few minutes; see the README), else None. Raises ValueError naming the variable."""
    value = environ.get("TUTOR_CLOCK", "").strip()
    if not value:
        return None
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"TUTOR_CLOCK: {value!r} is not an ISO date and time") from None
    if start.tzinfo is None:
        start = start.astimezone()
    if not EARLIEST_YEAR <= start.year <= LATEST_YEAR:
        raise ValueError(
            f"TUTOR_CLOCK: {value!r} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}"
        )
    return ManualClock(start)


# A schedule reaches at most a century ahead (FSRS's longest interval): a clock beyond these
# years would carry dates past the calendar's end (year 9999).
EARLIEST_YEAR = 1970
LATEST_YEAR = 9000
