"""The desk's clock: now, and the study day it falls in (`tutor.study.days`)."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

from tutor.study.clock import Clock
from tutor.study.days import day_bounds, study_day


class StudyDays:
    """Instants from `clock`, grouped into study days that begin at `day_starts_at` in `zone`
    (None: the machine's)."""

    def __init__(self, clock: Clock, zone: tzinfo | None, day_starts_at: time) -> None:
        self.clock = clock
        self.zone = zone
        self.day_starts_at = day_starts_at
        self._last: tuple[date, datetime, datetime] | None = None
        """The study day last asked for, with its bounds: an answer asks for today a few times,
        and working out a day's bounds from an instant is most of what asking costs."""

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self._day_of(self.now())

    def bounds(self, day: date | None = None) -> tuple[datetime, datetime]:
        """When study day `day` (default today) begins and ends."""
        day = day or self.today()
        last = self._last
        if last is not None and last[0] == day:
            return last[1], last[2]
        return day_bounds(day, self.zone, self.day_starts_at)

    def _day_of(self, instant: datetime) -> date:
        last = self._last
        if last is not None and last[1] <= instant < last[2]:
            return last[0]
        day = study_day(instant, self.zone, self.day_starts_at)
        self._last = (day, *day_bounds(day, self.zone, self.day_starts_at))
        return day
