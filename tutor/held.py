"""The cards a desk keeps out of study because of the decks' errors, from one run to the next.

`tutor.deck.skips` says which cards the errors skip and which are held back with them; each
sync stores their ids and notices in the database's `meta` table (a key of its own, no schema
change), so that a start that does not read the decks again (they did not change) keeps them
out of study too and says why. Their rows stay as they were last synced, never retired: their
progress waits for them.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.deck.model import Collection
from tutor.deck.skips import Skips, find_skips
from tutor.store.rows import QueueData
from tutor.study.proof import MIN_STEPS, proof_card_id

if TYPE_CHECKING:
    from tutor.store.quick import QuickReader

META_HELD_BACK = "held_back"
"""Meta key: `HeldBack.encode()` of the last sync (absent: none was ever held back)."""


@dataclass(frozen=True)
class HeldBack:
    ids: frozenset[str] = frozenset()
    """Cards not offered in study: skipped, held back with a skipped card, or in a file that
    cannot be read."""
    notices: tuple[str, ...] = ()
    """One line for each skipped card (naming those held back with it) and each unreadable
    file, as `Skips.notices()` says them."""

    def encode(self) -> str:
        return json.dumps({"ids": sorted(self.ids), "notices": list(self.notices)})

    @classmethod
    def decode(cls, value: str | None) -> HeldBack:
        """What `encode` stored; nothing held back for a missing or unreadable value."""
        try:
            data = json.loads(value) if value else {}
            ids = frozenset(str(i) for i in data.get("ids", ()))
            notices = tuple(str(n) for n in data.get("notices", ()))
        except (ValueError, TypeError, AttributeError):
            return cls()
        return cls(ids, notices)


def skips_of(collection: Collection) -> Skips:
    """The cards of `collection` its errors keep out of study, a whole proof (a card made of its
    steps, `tutor.study.proof`) held back with a skipped step."""
    wholes = {
        proof_card_id(deck.id): [card.id for card in deck.cards]
        for deck in collection.decks
        if deck.is_proof and len(deck.cards) >= MIN_STEPS
    }
    return find_skips(collection, derived=wholes)


def without(data: QueueData, held: frozenset[str]) -> QueueData:
    """The queue's rows less the cards held back (an unfinished one included: it resumes once
    it is fixed, unless another card was begun in between)."""
    if not held:
        return data
    return dataclasses.replace(
        data,
        due=[state for state in data.due if state.card_id not in held],
        new=[row for row in data.new if row.card_id not in held],
        unfinished=None if data.unfinished in held else data.unfinished,
    )


def read_quickly(reader: QuickReader) -> str | None:
    """The value the last sync stored ("" if none), read on the quick path (None: the file
    could not be read)."""
    row = reader.guarded(
        lambda db: (
            db.execute("SELECT value FROM meta WHERE key = ?", (META_HELD_BACK,)).fetchone()
            or ("",)
        )
    )
    return None if row is None else str(row[0] or "")
