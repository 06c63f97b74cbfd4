"""How the front ends word what happened: dates as the learner reads them, counts of days,
ratings and the one-line summary of a finished card. Shared by `tutor study --plain` and the
terminal UI, so both say the same thing the same way."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tutor.study.schedule import Rating

if TYPE_CHECKING:
    from tutor.today import Desk, Finished

RATING_WORDS = {
    Rating.AGAIN: "Again",
    Rating.HARD: "Hard",
    Rating.GOOD: "Good",
    Rating.EASY: "Easy",
}


def count(n: int, noun: str) -> str:
    """`1 hint`, `3 hints`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def days(n: int) -> str:
    """`1 day`, `3 days`."""
    return count(n, "day")


def when(desk: Desk, instant: datetime) -> str:
    """A date as the learner reads it: the study day, and how far off it is."""
    from tutor.study.days import study_day

    now = desk.now()
    if instant <= now:
        return "now"
    day = desk.today()
    local = instant.astimezone(desk.zone)
    target = study_day(instant, desk.zone, desk.settings.day_starts_at)
    delta = (target - day).days
    start, _ = desk.day_bounds(target)
    text = local.strftime("%a %d %b %Y")
    if delta <= 0:
        return f"today, {local:%H:%M}"
    if delta == 1 and instant <= start + timedelta(minutes=1):
        return f"tomorrow ({text}, from {local:%H:%M})"
    return f"{text} (in {days(delta)})"


def summary(desk: Desk, finished: Finished) -> str:
    """`reconstructed; rated Good · next review … · streak 3 days (longest 5 days) · …`"""
    outcome = finished.outcome
    result = "reconstructed" if outcome.success else "not reconstructed yet"
    parts = [
        f"{result}; rated {RATING_WORDS[outcome.rating]}",
        f"next review {when(desk, finished.due)}",
        f"streak {days(finished.streak.current)} (longest {days(finished.streak.longest)})",
    ]
    if finished.run:
        parts.append(f"this card {finished.run} in a row")
    return " · ".join(parts)
