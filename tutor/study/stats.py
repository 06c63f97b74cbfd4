"""The figures `tutor stats` shows, as one value: what the front ends print or draw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from tutor.study.streaks import Streak


@dataclass(frozen=True)
class LastFit:
    """The newest fit of the scheduler's parameters to the learner's reviews."""

    fitted_at: datetime
    reviews: int
    """Reviews in the log it was fitted to."""
    heldout: int
    """Held-out reviews it was judged on."""
    default_loss: float
    """Their log loss under FSRS's default parameters."""
    fitted_loss: float
    """Their log loss under the parameters fitted on the reviews before them."""
    kept: bool
    """It did better than the defaults: its parameters are in use."""

    def to_json(self, zone: tzinfo | None = None) -> dict[str, Any]:
        return {
            "fitted_at": self.fitted_at.astimezone(zone).isoformat(timespec="seconds"),
            "reviews": self.reviews,
            "heldout": self.heldout,
            "log_loss": {
                "default": round(self.default_loss, 4),
                "fitted": round(self.fitted_loss, 4),
            },
            "kept": self.kept,
        }


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
    last_fit: LastFit | None = None
    """The newest fit of the scheduler (None: never fitted; the defaults are in use)."""
    proofs_total: int = 0
    """Proofs with a whole-proof card (`tutor.study.proof`); the `cards_*` figures count the
    cards of the decks, not these."""
    proofs_rebuilt: int = 0
    """Of those, the proofs rebuilt whole at least once."""
    proofs_due_today: int = 0

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
            "proofs": {
                "total": self.proofs_total,
                "rebuilt": self.proofs_rebuilt,
                "due_today": self.proofs_due_today,
            },
            "retention": None if self.retention is None else round(self.retention, 4),
            "next_due": None
            if self.next_due is None
            else self.next_due.astimezone(zone).isoformat(timespec="seconds"),
            "scheduler": {
                "parameters": "fitted" if self.last_fit and self.last_fit.kept else "default",
                "last_fit": None if self.last_fit is None else self.last_fit.to_json(zone),
            },
        }
