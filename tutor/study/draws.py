"""The numbers a sitting shows, for a card with drawn inputs (deck-format.md, "Drawn numbers").

- **The first showing** of a card uses the author's stated values: the card is then being
  learnt, not recalled, and the answer, hints and mistakes were written around those numbers
  (round ones, chosen so that the worked answer reads clearly). It is also the card that
  `tutor deck show` and the deck file show.
- **Every review** draws new values, one per input, uniform over what it may take: the learner
  must redo the method instead of retyping last time's number.
- **A resumed card shows the same numbers.** The values are kept in the sitting's snapshot, saved
  with its progress; and the draw itself is seeded by the card and its last review, so even a
  card killed before its first save draws the same numbers again. A snapshot whose values no
  longer fit the card (its inputs were edited meanwhile) is drawn again; one saved before the
  card had inputs shows the stated values, the numbers the learner was looking at.

The random source is injected (`DrawSource`): tests pass their own.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from tutor.deck.formula import FormulaError
from tutor.deck.inputs import (
    card_inputs,
    draw,
    from_saved,
    instantiate,
    stated_card,
    stated_deck,
    stated_values,
    to_saved,
)
from tutor.deck.model import Card
from tutor.study.session import Snapshot

__all__ = ["DrawSource", "prepare", "seeded", "stated_card", "stated_deck"]

DrawSource = Callable[[str, str], random.Random]
"""A generator for one review of one card: `source(card_id, occasion)`, where the occasion
names the review (the instant of the card's last review)."""

TRIES = 20
"""Draws tried before falling back to the stated values, should a formula have no value at one
(the linter reports such a card, but a sitting never fails for it)."""


def seeded(salt: str = "") -> DrawSource:
    """The default source: a generator seeded with the card, the occasion and `salt`."""

    def source(card_id: str, occasion: str) -> random.Random:
        key = f"{salt}\x00{card_id}\x00{occasion}".encode()
        return random.Random(int.from_bytes(hashlib.sha256(key).digest()[:16], "big"))

    return source


def prepare(
    card: Card,
    snapshot: Snapshot | None,
    *,
    review: bool,
    last_review: datetime | None,
    source: DrawSource,
) -> tuple[Card, Snapshot | None]:
    """The card as this sitting shows it, and the snapshot that keeps its values: the saved
    values when they fit, else the stated values (a first showing) or a new draw (a review).
    A card without inputs comes back as it is."""
    inputs = card_inputs(card)
    if not inputs:
        return card, snapshot
    if snapshot is not None:
        saved = from_saved(snapshot.values, inputs)
        if saved is not None:
            try:
                return instantiate(card, saved), snapshot
            except FormulaError:
                pass
    candidates = []
    if review and (snapshot is None or snapshot.values):
        occasion = last_review.isoformat() if last_review is not None else "review"
        rng = source(card.id, occasion)
        candidates = [draw(inputs, rng) for _ in range(TRIES)]
    candidates.append(stated_values(inputs))
    for values in candidates:
        try:
            shown = instantiate(card, values)
        except FormulaError:
            continue
        kept = to_saved(values)
        if snapshot is None:
            return shown, Snapshot(card_id=card.id, values=kept)
        return shown, replace(snapshot, values=kept)
    return card, snapshot
