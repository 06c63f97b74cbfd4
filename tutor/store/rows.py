"""Plain rows the queries return where the ORM's objects would cost too much, in a light module
(no SQLAlchemy): the quick paths in `tutor.store.quick` read the same shapes with sqlite3."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.store.models import MemoryRow


@dataclass(frozen=True, slots=True)
class MemoryState:
    """A card's FSRS memory state as plain values: the fields of `MemoryRow`, read without the
    ORM (building 10,000 ORM objects would take most of the 50 ms that picking a card has)."""

    card_id: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reconstructed: bool
    run: int
    last_day: date | None

    def to_row(self) -> MemoryRow:
        from tutor.store.models import MemoryRow

        return MemoryRow(
            card_id=self.card_id,
            state=self.state,
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
            reconstructed=self.reconstructed,
            run=self.run,
            last_day=self.last_day,
        )


@dataclass(frozen=True, slots=True)
class QueueRow:
    """What picking today's card needs of an active card, read without the ORM."""

    card_id: str
    path: str
    requires: tuple[str, ...]


@dataclass(frozen=True)
class QueueData:
    """Only what choosing today's cards reads: at 10,000 cards, a few thousand short rows.

    Prerequisites are stored already limited to the cards present at the last sync (see
    `sync_cards`), so no list of every active card is needed to ignore retired ones."""

    due: list[MemoryState]
    """Active cards whose review falls due before `end_of_today`."""
    new: list[QueueRow]
    """Active cards never reviewed, in deck order."""
    reconstructed: frozenset[str]
    """Which of the new cards' prerequisites were reconstructed successfully at least once."""
    unfinished: str | None
    done_today: int


@dataclass(frozen=True, slots=True)
class SavedProgress:
    """The unfinished card's saved state, as `ProgressRow` holds it (read without the ORM)."""

    card_id: str
    started_at: datetime
    active_seconds: float
    hints_shown: int
    revealed: bool
    state_json: str


NEW_CARDS_SQL = (
    "SELECT c.id, c.path, c.requires FROM card c WHERE NOT c.retired "
    "AND NOT EXISTS (SELECT 1 FROM memory m WHERE m.card_id = c.id) "
    "ORDER BY c.path, c.position, c.id"
)
"""The active cards never reviewed, in deck order, as `QueueRow`s: the one query that can
return thousands of rows, in plain SQL for both readers (the store's and the quick one)."""
