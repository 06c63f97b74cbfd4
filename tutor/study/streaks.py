"""Reconstruction streaks: a study day counts when a card was reconstructed successfully
(judged correct, or every key idea recalled, without revealing the answer)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int


def streak(successful_days: Iterable[date], today: date) -> Streak:
    """The run of consecutive successful days ending today, or yesterday when today has not
    been studied yet (the streak is still alive until the day is over), and the longest run."""
    days = sorted({day.toordinal() for day in successful_days})  # ints: a thousand days in µs
    longest = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == 1 else 1
        longest = max(longest, run)
        previous = day
    current = 0
    if days and days[-1] >= today.toordinal() - 1:
        current = 1
        for n in range(len(days) - 1, 0, -1):
            if days[n] - days[n - 1] != 1:
                break
            current += 1
    return Streak(current=current, longest=longest)


def card_run(outcomes_oldest_first: Iterable[bool]) -> int:
    """A card's run of successful reconstructions: consecutive successes up to its last review."""
    run = 0
    for success in outcomes_oldest_first:
        run = run + 1 if success else 0
    return run
