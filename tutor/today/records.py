"""What a sitting writes, as plain records (`tutor.today.ledger` turns them into the store's
rows): a light module, on the quick start's path before the store is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ProgressState:
    """The unfinished card's state, saved after every action (one row a learner)."""

    card_id: str
    study_day: date
    started_at: datetime
    updated_at: datetime
    active_seconds: float
    hints_shown: int
    revealed: bool
    state_json: str


@dataclass(frozen=True)
class AttemptRecord:
    """An answer, as it was judged."""

    card_id: str
    step: str | None
    """In a whole-proof sitting, the step answered (`card_id` is the whole-proof card)."""
    at: datetime
    active_seconds: float
    answer: str
    verdict: str
    feedback: str
    read_as: str


@dataclass(frozen=True)
class ReviewRecord:
    """A finished sitting, rated."""

    card_id: str
    study_day: date
    started_at: datetime
    ended_at: datetime
    active_seconds: float
    attempts: int
    hints_used: int
    revealed: bool
    verdicts: str
    rating: int
    success: bool
    final_answer: str
    ideas_recalled: int | None
    ideas_total: int | None
