"""Plain rows the queries return where the ORM's objects would cost too much, in a light module
(no SQLAlchemy): the quick paths in `tutor.store.quick` read the same shapes with sqlite3."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from tutor.study.proof import PROOF_CARD_PREFIX

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

    def values(self) -> dict[str, Any]:
        """The memory row's column values but the learner's."""
        return {name: getattr(self, name) for name in self.__slots__}

    def to_row(self, learner: str) -> MemoryRow:
        from tutor.store.models import MemoryRow

        return MemoryRow(
            learner=learner,
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


class QueueRow(NamedTuple):
    """What picking today's card needs of a new card, read without the ORM (a named tuple: at
    10,000 cards, a frozen dataclass's construction alone would cost milliseconds)."""

    card_id: str
    requires: tuple[str, ...]


@dataclass(frozen=True)
class QueueData:
    """Only what choosing today's cards reads: at 10,000 cards, a few thousand short rows.

    Prerequisites are stored already limited to the cards present at the last sync (see
    `sync_cards`), so no list of every active card is needed to ignore retired ones."""

    due: list[MemoryState]
    """Active cards whose review falls due before `end_of_today`."""
    new: list[QueueRow]
    """Active cards never reviewed, in file order."""
    reconstructed: frozenset[str]
    """Which of the new cards' prerequisites were reconstructed successfully at least once."""
    unfinished: str | None
    done_today: int
    """Reviews saved today, first ones of a card included."""
    repeats_today: int = 0
    """Of those, the reviews of cards seen before: `done_today - repeats_today` new cards."""
    wholes_today: int = 0
    """Of the new ones, whole proofs at their first sitting (`tutor.study.proof`): they are
    planned apart from the new cards."""
    studied_today: frozenset[str] = frozenset()
    """The steps of the whole proofs not yet begun that were studied today: such a whole proof
    waits for a day none of its steps was studied on."""
    order: tuple[str, ...] = ()
    """Every active card in the prerequisite graph's order, as the last sync stored it (empty
    when it is not the order of the cards synced: a database synced by an earlier release)."""
    first_due: FirstDue | None = None
    """None: `due` holds every review due. Else `due` holds only the first of them in the
    order `tutor.study.queue.due_order` gives (the cards reviewed today left out), read as
    `first_due` says (`Reads.reviews`): the day's plan takes at most `DayPlan.reviews` of
    hundreds, so only those are read and decoded."""
    complete: bool = True
    """The new cards were read (`new`, `reconstructed`, `studied_today` and `order`). False:
    only the reviews' part was (`Reads.reviews`), and those four are empty. The new cards are
    what a day's first card rarely needs and what costs most to read (thousands of rows at
    10,000 cards), so they are read when the cards before them are used up (`with_new`)."""

    def with_new(self, part: NewCards) -> QueueData:
        """This data with the new cards' part read now (`Reads.new_cards`)."""
        return dataclasses.replace(
            self,
            new=part.new,
            reconstructed=part.reconstructed,
            studied_today=part.studied_today,
            order=part.order,
            complete=True,
        )


class FirstDue(NamedTuple):
    """How the first reviews due were read (`QueueData.first_due`): at instant `at`, at most
    `limit` of them, which stay the first in the order until `until` (None: for good), when a
    card gains a whole day since its last review and the order may change."""

    at: datetime
    until: datetime | None
    limit: int

    def hold(self, now: datetime) -> bool:
        """They are still the first in the order at `now`."""
        return self.at <= now and (self.until is None or now < self.until)


class NewCards(NamedTuple):
    """The new cards' part of `QueueData`, read apart (`Reads.new_cards`)."""

    new: list[QueueRow]
    reconstructed: frozenset[str]
    studied_today: frozenset[str]
    order: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SavedProgress:
    """The unfinished card's saved state, as `ProgressRow` holds it (read without the ORM)."""

    card_id: str
    started_at: datetime
    active_seconds: float
    hints_shown: int
    revealed: bool
    state_json: str


WHOLES_TODAY_SQL = (
    "SELECT count(*) FROM review r WHERE r.learner = :learner AND r.study_day = :today "
    f"AND r.card_id LIKE '{PROOF_CARD_PREFIX}%' AND NOT EXISTS "
    "(SELECT 1 FROM review e WHERE e.learner = r.learner AND e.card_id = r.card_id "
    "AND e.study_day < :today)"
)
"""How many whole proofs the learner `:learner` had a first sitting of on study day `:today`
(an ISO date), for both readers."""


ORDER_KEPT_SQL = (
    "SELECT o.value = s.value OR substr(o.value, 1, length(s.value) + 1) = s.value || {nl} "
    "FROM meta s JOIN meta o ON o.key = {order_key} WHERE s.key = {set_key}"
)
"""Whether the order new cards follow was stored by the sync of the deck set stored, with the
order's first line alone read (`stored_order`: the order is that digest, or begins with it and
a newline; the ten thousand ids after it are not read), for both readers; `{name}` is a
parameter, written in the reader's style: `nl` a newline, `order_key` `META_CARD_ORDER`,
`set_key` `META_DECK_SET_HASH`."""


def in_scope(column: str, paths: Sequence[str] | None) -> tuple[str, dict[str, str]]:
    """A condition keeping the rows whose deck file `column` is one of `paths` (None: every
    file), and its parameters (`:scope0`, `:scope1`…), for both readers: the cards of the deck
    set of this run (`--decks DIR` studies those decks alone)."""
    if paths is None:
        return "", {}
    if not paths:
        return " AND 0 = 1", {}
    names = [f"scope{n}" for n in range(len(paths))]
    marks = ", ".join(f":{name}" for name in names)
    return f" AND {column} IN ({marks})", dict(zip(names, paths, strict=True))


def new_cards_sql(paths: Sequence[str] | None) -> tuple[str, dict[str, str]]:
    """The active cards of the deck files `paths` (None: all) the learner `:learner` never
    reviewed, in file order, as `QueueRow`s: the one query that can return thousands of rows,
    in plain SQL for both readers (the store's and the quick one). Returns the SQL and the
    parameters of the scope (the learner's is the caller's)."""
    scope, params = in_scope("c.path", paths)
    sql = (
        "SELECT c.id, c.requires FROM card c WHERE NOT c.retired"
        f"{scope} AND NOT EXISTS "
        "(SELECT 1 FROM memory m WHERE m.learner = :learner AND m.card_id = c.id) "
        "ORDER BY c.path, c.position, c.id"
    )
    return sql, params


def queue_row(card_id: str, requires: str) -> QueueRow:
    """A row of `new_cards_sql` (prerequisites stored comma-separated)."""
    return QueueRow(card_id, tuple(requires.split(",")) if requires else ())


META_DECK_SET_HASH = "deck_set_hash"
"""Meta key: the digest of the cards last synced (`queries.deck_set_hash`)."""

META_CARD_ORDER = "card_order"
"""Meta key: the active cards in the prerequisite graph's order, which new cards follow
(`tutor.study.queue.graph_order`), computed by each sync that changes the cards: the digest of
the deck set it was computed for on the first line, then one card id a line. Walking the graph
of 10,000 cards on every pick would double the time a pick takes."""


def stored_order(value: str | None, deck_set: str | None) -> tuple[str, ...]:
    """The order kept under `META_CARD_ORDER`, if it is that of the deck set whose digest is
    `deck_set` (empty if not: the caller falls back to file order)."""
    if value is None or deck_set is None:
        return ()
    digest, _, ids = value.partition("\n")
    return tuple(ids.split("\n")) if digest == deck_set and ids else ()


def order_value(deck_set: str, order: list[str]) -> str:
    """What `stored_order` reads back."""
    return "\n".join([deck_set, *order])
