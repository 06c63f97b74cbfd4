"""Which cards the decks' errors keep out of study, and why.

A card with an error is skipped alone: the other cards of its file stay in study. A card that
requires a skipped card, directly or through other cards, is held back with it until it is
fixed. An id two cards have is left out of study with both of them (the history kept under it
is one card's, and which one cannot be told) until one is renamed. Errors outside every card
(the front matter, the title) skip nothing, unless the file cannot be read as a deck at all,
but for an error in a proof's `requires` line: those are its first step's prerequisites, and
the step is skipped. Cards without an id cannot be studied whatever happens.

An error belongs to the card whose `##` section holds its line, as the parser splits the file
into cards; only files with errors are read again for that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tutor.deck.model import Card, Collection, Problem

MAX_NAMED = 5
"""Held-back cards named in a notice; the others are counted."""


@dataclass(frozen=True)
class SkippedCard:
    card: Card
    problem: Problem
    """Its first error."""
    more: int = 0
    """Its other errors."""
    duplicate: bool = False
    """Its id belongs to an earlier card too. Both are left out: the learner's history is kept
    under the id, and which of the two cards it is the history of cannot be told (the first in
    file order might be a newcomer that would take over another card's reviews)."""


@dataclass
class Skips:
    skipped: list[SkippedCard] = field(default_factory=list)
    held: dict[str, list[str]] = field(default_factory=dict)
    """A held-back card's id → the ids of the skipped cards it waits for."""
    unreadable: list[Problem] = field(default_factory=list)
    """The first error of each file that gives no deck (its cards cannot be studied)."""
    other_errors: int = 0
    """Errors that skip no card: in front matter or a title, or in a card without an id."""

    @property
    def ids(self) -> frozenset[str]:
        """The ids kept out of study: the skipped cards (every card of an id two cards have)
        and the cards held back with them."""
        skipped = {s.card.id for s in self.skipped}
        return frozenset(skipped | set(self.held))

    def notices(self) -> list[str]:
        """One line for each skipped card (with the cards held back with it), each unreadable
        file, and one for the other errors."""
        lines = []
        waiting: dict[str, list[str]] = {}
        for held, roots in self.held.items():
            for root in roots:
                waiting.setdefault(root, []).append(held)
        for skipped in self.skipped:
            card = skipped.card
            more = f" (and {_count(skipped.more, 'other problem')})" if skipped.more else ""
            line = (
                f"card '{card.id}' is left out of study until it is fixed: {skipped.problem}{more}"
            )
            if skipped.duplicate:
                line += "; no card of that id is studied until one of them is renamed"
            with_it = waiting.pop(card.id, [])  # named once, with the id's first notice
            if with_it:
                named = ", ".join(f"'{i}'" for i in with_it[:MAX_NAMED])
                rest = len(with_it) - MAX_NAMED
                named += f" and {rest} more" if rest > 0 else ""
                line += f"; the cards that require it are held back with it: {named}"
            lines.append(line)
        for problem in self.unreadable:
            lines.append(f"{problem}; the file's cards are left out of study until it is fixed")
        if self.other_errors:
            lines.append(
                f"the decks have {_count(self.other_errors, 'other problem')} "
                "(see 'tutor deck check')"
            )
        return lines


def find_skips(collection: Collection, derived: Mapping[str, Sequence[str]] | None = None) -> Skips:
    """The cards of `collection` its errors keep out of study. `derived` names cards made from
    others (a whole proof from its steps: id → the ids it requires), held back like any card
    whose prerequisite is skipped."""
    skips = Skips()
    decks = {deck.path: deck for deck in collection.decks}
    by_file: dict[str, list[Problem]] = {}
    for problem in collection.errors:
        by_file.setdefault(problem.path, []).append(problem)
    for path, problems in by_file.items():
        deck = decks.get(path)
        if deck is None:
            skips.unreadable.append(min(problems, key=lambda p: p.line))
            continue
        owners = _owners(deck.cards, problems, path)
        found: dict[int, list[Problem]] = {}
        step = deck.cards[0] if deck.is_proof and deck.cards and deck.cards[0].id else None
        for problem in problems:
            card = owners.get(problem.line)
            if card is None and step is not None and problem.line == deck.requires_line > 0:
                card = step  # a proof's `requires` are its first step's prerequisites
            if card is None:
                skips.other_errors += 1
            else:
                found.setdefault(card.line, []).append(problem)
        for card in deck.cards:
            if card.line in found:
                first, *others = sorted(found[card.line], key=lambda p: p.line)
                skips.skipped.append(SkippedCard(card, first, len(others)))
    _mark_duplicates(collection, skips)
    _hold_dependants(collection.cards, derived or {}, skips)
    return skips


def _owners(cards: Sequence[Card], problems: Iterable[Problem], path: str) -> dict[int, Card]:
    """The card (with an id) each problem line falls in; lines outside them are left out."""
    spans = card_spans(Path(path))
    heading = {card.line: card for card in cards}
    owners: dict[int, Card] = {}
    for problem in problems:
        for start, end in spans:
            if start <= problem.line <= end:
                if start in heading:
                    owners[problem.line] = heading[start]
                break
    return owners


def card_spans(path: Path) -> list[tuple[int, int]]:
    """The first and last line (1-based) of each `##` card of the file at `path`, as the
    parser splits it: from the heading to the next `#` or `##` heading. Empty if the file
    cannot be read."""
    from tutor.check.clean import has_controls, strip_controls
    from tutor.deck.parser import MAX_FILE_BYTES, structure_parser

    try:
        data = path.read_bytes()[: MAX_FILE_BYTES + 1]
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if has_controls(text):
        text = strip_controls(text)
    lines = text.count("\n") + 1
    headings = [
        (token.map[0] + 1, token.tag)
        for token in structure_parser().parse(text)
        if token.level == 0 and token.map and token.type == "heading_open"
        if token.tag in ("h1", "h2")
    ]
    spans = []
    for n, (line, tag) in enumerate(headings):
        if tag == "h2":
            end = headings[n + 1][0] - 1 if n + 1 < len(headings) else lines
            spans.append((line, end))
    return spans


def _mark_duplicates(collection: Collection, skips: Skips) -> None:
    """Which skipped cards have an id an earlier card has (`SkippedCard.duplicate`)."""
    first: dict[str, Card] = {}
    for card in collection.cards:
        first.setdefault(card.id, card)
    skips.skipped = [
        SkippedCard(s.card, s.problem, s.more, duplicate=first[s.card.id] is not s.card)
        for s in skips.skipped
    ]


def _hold_dependants(
    cards: Sequence[Card], derived: Mapping[str, Sequence[str]], skips: Skips
) -> None:
    """Every card that requires a skipped card, directly or transitively, and which ones."""
    skipped = {s.card.id for s in skips.skipped}
    if not skipped:
        return
    dependants: dict[str, list[str]] = {}
    requires: dict[str, Sequence[str]] = {}
    for card in cards:
        requires.setdefault(card.id, card.requires)
    for card_id, needs in derived.items():
        requires.setdefault(card_id, needs)
    for card_id, needs in requires.items():
        for need in dict.fromkeys(needs):
            if need != card_id:
                dependants.setdefault(need, []).append(card_id)
    order = {card_id: n for n, card_id in enumerate(requires)}
    held: dict[str, list[str]] = {}
    for root in sorted(skipped, key=lambda i: order.get(i, len(order))):
        stack = list(dependants.get(root, ()))
        seen = {root}
        while stack:
            card_id = stack.pop()
            if card_id in seen:
                continue
            seen.add(card_id)
            if card_id not in skipped:
                held.setdefault(card_id, []).append(root)
            stack.extend(dependants.get(card_id, ()))
    skips.held = {card_id: held[card_id] for card_id in sorted(held, key=order.__getitem__)}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
