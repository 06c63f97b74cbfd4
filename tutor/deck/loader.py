"""Find deck files, read them all, lint the collection."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tutor.deck.files import find_deck_files
from tutor.deck.lint import lint_collection
from tutor.deck.model import Collection, Deck, display_path
from tutor.deck.parser import read_deck_file

__all__ = [
    "find_deck_files",
    "load_collection",
    "load_within",
    "shipped_deck_dirs",
    "summarize",
]


def shipped_deck_dirs() -> list[Path]:
    """The decks and proofs that ship with the tutor: inside the installed package, or the
    checkout's top-level folders when running from source."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_content"
    if installed.is_dir():
        return [installed / "decks", installed / "proofs"]
    checkout = package.parent
    return [checkout / "decks", checkout / "proofs"]


def load_collection(paths: Sequence[Path], context: Sequence[Path] = ()) -> Collection:
    """Read every deck under `paths` and lint them together. Card ids found under `context`
    (and not under `paths`) count as known prerequisites but are not themselves checked."""
    files, problems = find_deck_files(paths)
    collection = Collection(problems=problems)
    for file in files:
        deck, found = read_deck_file(file, display_path(file))
        collection.problems += found
        if deck is not None:
            collection.decks.append(deck)
    checked = {f.resolve() for f in files}
    elsewhere = _ids_under(context, exclude=checked) if context else set()
    collection.problems += lint_collection(collection.decks, elsewhere)
    collection.problems.sort(key=lambda p: (p.path, p.line))
    return collection


def load_within(paths: Sequence[Path], deck_set: Sequence[Path]) -> tuple[Collection, Collection]:
    """Read the files under `paths` together with the deck set under `deck_set` and lint them
    as one set: ids must be unique across it and `requires` may name any of its cards. Returns
    the named files (their decks and problems) and the rest of the set (its decks and
    problems), apart. The named files are read last, so that an id they share with the rest
    is reported in them. A named file stands in for the set's deck of the same deck id that
    shares a card id with it: it is a new version of that deck (a mentor's checkout of the
    shipped decks, checked with an installed tutor), not a second copy of its cards; a deck id
    taken by a deck with other cards is a duplicate, as any."""
    named, missing = find_deck_files(paths)
    named_keys = {file.resolve() for file in named}
    rest, rest_missing = find_deck_files(deck_set)
    rest = [file for file in rest if file.resolve() not in named_keys]
    mine_read = [(file, *read_deck_file(file, display_path(file))) for file in named]
    versions = {
        deck.id: {card.id for card in deck.cards} for _, deck, _ in mine_read if deck is not None
    }
    whole = Collection(problems=list(rest_missing))
    for file in rest:
        deck, found = read_deck_file(file, display_path(file))
        if deck is not None and versions.get(deck.id, set()) & {card.id for card in deck.cards}:
            continue  # the named file is this deck's new version
        whole.problems += found
        if deck is not None:
            whole.decks.append(deck)
    for _, deck, found in mine_read:
        whole.problems += found
        if deck is not None:
            whole.decks.append(deck)
    whole.problems += lint_collection(whole.decks)
    shown = {display_path(file) for file in named}
    mine = Collection(
        decks=[deck for deck in whole.decks if deck.path in shown],
        problems=[*missing, *(p for p in whole.problems if p.path in shown)],
    )
    others = Collection(
        decks=[deck for deck in whole.decks if deck.path not in shown],
        problems=[p for p in whole.problems if p.path not in shown],
    )
    for collection in (mine, others):
        collection.problems.sort(key=lambda p: (p.path, p.line))
    return mine, others


def _ids_under(paths: Sequence[Path], exclude: set[Path]) -> set[str]:
    files, _ = find_deck_files(paths)
    ids: set[str] = set()
    for file in files:
        if file.resolve() in exclude:
            continue
        deck, _ = read_deck_file(file)
        if deck is not None:
            ids.update(card.id for card in deck.cards)
    return ids


def summarize(decks: list[Deck]) -> dict[str, int]:
    cards = [c for d in decks for c in d.cards]
    proofs = [d for d in decks if d.is_proof]
    return {
        "decks": sum(1 for d in decks if not d.is_proof),
        "cards": len(cards),
        "checkable": sum(1 for c in cards if c.checkable),
        "self_assessed": sum(1 for c in cards if c.self_assessed),
        "proofs": len(proofs),
        "steps": sum(len(d.cards) for d in proofs),
    }
