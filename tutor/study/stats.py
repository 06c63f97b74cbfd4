"""The figures `tutor stats` shows, as one value: what the front ends print or draw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from tutor.study.streaks import Streak


@dataclass(frozen=True)
class Stats:
    streak: Streak
    reviews_total: int
    reviews_today: int
    cards_total: int
    cards_new: int
    cards_review: int
    due_today: int
    retired: int
    retention: float | None
    next_due: datetime | None

    def to_json(self, zone: tzinfo | None = None) -> dict[str, Any]:
        """The `tutor stats --json` object (design contract; extend, never rename)."""
        return {
            "streak": {"current": self.streak.current, "longest": self.streak.longest},
            "reviews": {"total": self.reviews_total, "today": self.reviews_today},
            "cards": {
                "total": self.cards_total,
                "new": self.cards_new,
                "review": self.cards_review,
                "due_today": self.due_today,
                "retired": self.retired,
            },
            "retention": None if self.retention is None else round(self.retention, 4),
            "next_due": None
            if self.next_due is None
            else self.next_due.astimezone(zone).isoformat(timespec="seconds"),
        }
