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

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return study_day(self.now(), self.zone, self.day_starts_at)

    def bounds(self, day: date | None = None) -> tuple[datetime, datetime]:
        """When study day `day` (default today) begins and ends."""
        return day_bounds(day or self.today(), self.zone, self.day_starts_at)
