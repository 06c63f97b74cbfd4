"""How the front ends word what happened: dates as the learner reads them, counts of days,
ratings and the one-line summary of a finished card. Shared by `tutor study --plain` and the
terminal UI, so both say the same thing the same way."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from tutor.study.schedule import Rating

if TYPE_CHECKING:
    from tutor.study.stats import LastFit
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
    # the study day's date, not the instant's: a card due at 01:45 on Wednesday comes on
    # Tuesday's study day when days start at 04:00
    text = target.strftime("%a %d %b %Y")
    if delta <= 0:
        return f"today, {local:%H:%M}"
    if delta == 1 and instant <= start + timedelta(minutes=1):
        return f"tomorrow ({text}, from {local:%H:%M})"
    return f"{text} (in {days(delta)})"


def summary(desk: Desk, finished: Finished) -> str:
    """`reconstructed; rated Good · next review … · streak 3 days (longest 5 days) · …`"""
    outcome = finished.outcome
    if finished.whole:
        result = "rebuilt whole" if outcome.success else "not rebuilt whole yet"
    else:
        result = "reconstructed" if outcome.success else "not reconstructed yet"
    parts = [
        f"{result}; rated {RATING_WORDS[outcome.rating]}",
        f"next review {when(desk, finished.due)}",
        f"streak {days(finished.streak.current)} (longest {days(finished.streak.longest)})",
    ]
    if finished.run:
        parts.append(f"this {'proof' if finished.whole else 'card'} {finished.run} in a row")
    return " · ".join(parts)


def scheduler_in_use(last_fit: LastFit | None, reviews: int, zone: tzinfo | None = None) -> str:
    """Which parameters the scheduler uses, in one line: FSRS's defaults, or those fitted to
    the learner's reviews, with when (the day in `zone`; None: the system's), on how many
    reviews, and the held-out log losses."""
    from tutor.study.fit import MIN_REVIEWS

    if last_fit is None:
        if reviews < MIN_REVIEWS:
            return (
                f"FSRS-6 defaults; fitted to your reviews once there are {MIN_REVIEWS:,} "
                f"({reviews:,} so far)"
            )
        return "FSRS-6 defaults; fitted to your reviews at the start of the next study day"
    day = last_fit.fitted_at.astimezone(zone).date().isoformat()
    losses = (
        f"held-out log loss {last_fit.fitted_loss:.4f} fitted, {last_fit.default_loss:.4f} defaults"
    )
    if last_fit.kept:
        return f"fitted on {day} from {last_fit.reviews:,} reviews ({losses})"
    return (
        f"FSRS-6 defaults: the fit of {day} from {last_fit.reviews:,} reviews was not better "
        f"({losses})"
    )
