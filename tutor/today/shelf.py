"""The desk's decks: the files of this run, read and linted when they changed, the cards they
hold as the database keeps them, and the cards their errors keep out of study."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.config import Settings
from tutor.deck.files import DeckFiles, deck_files
from tutor.deck.model import Card, Collection, Deck, Severity, Span
from tutor.deck.reading import decode as decode_reading
from tutor.deck.reading import encode as encode_reading
from tutor.deck.skips import Skips
from tutor.held import META_HELD_BACK, HeldBack, skips_of
from tutor.study.proof import MIN_STEPS, is_proof_card, proof_card_id, proof_of
from tutor.today.place import Place

if TYPE_CHECKING:
    from tutor.store.models import CardRow
    from tutor.store.queries import CardSnapshot


def card_snapshot(card: Card, deck: Deck) -> CardSnapshot:
    """The card as the database keeps it: id, place, prerequisites and a hash of its text, and
    where its text sits in its file (not for a proof's step: its whole proof is read)."""
    from tutor.store.queries import CardSnapshot

    content = {
        "title": card.title,
        "kind": card.kind,
        "prompt": card.prompt.source,
        "answer": card.answer.source if card.answer else None,
        "hints": [h.source for h in card.hints],
        "ideas": [k.source for k in card.key_ideas],
        "why": card.why.source if card.why else None,
        "check": card.check.pairs() if card.check else None,
        "timers": [card.timer, card.review_timer],
        "statement": deck.intro.source if deck.is_proof and deck.intro else None,
    }
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()
    span = None if deck.is_proof else card.span
    return CardSnapshot(
        id=card.id,
        deck_id=deck.id,
        path=str(Path(deck.path).resolve()),
        position=card.position,
        content_hash=digest,
        requires=tuple(card.requires),
        span=span,
        reading=None if span is None else encode_reading(card, deck),
    )


def proof_card_snapshot(deck: Deck) -> CardSnapshot | None:
    """The whole-proof card of a proof as the database keeps it (`tutor.study.proof`): placed
    after the proof's steps, requiring each of them, its hash that of the statement and the
    steps. None for a deck that is not a proof, or a proof of fewer than `MIN_STEPS` steps."""
    from tutor.store.queries import CardSnapshot

    if not deck.is_proof or len(deck.cards) < MIN_STEPS:
        return None
    steps = [card_snapshot(card, deck) for card in deck.cards]
    content = {
        "title": deck.title,
        "statement": deck.intro.source if deck.intro else None,
        "steps": [(step.id, step.content_hash) for step in steps],
        "timers": [deck.timer, deck.review_timer, deck.hint_gap],
    }
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()
    return CardSnapshot(
        id=proof_card_id(deck.id),
        deck_id=deck.id,
        path=str(Path(deck.path).resolve()),
        position=len(deck.cards),
        content_hash=digest,
        requires=tuple(step.id for step in steps),
    )


class Shelf:
    """The decks of a run (`settings.deck_dirs`): found once, read only when needed."""

    def __init__(self, settings: Settings, place: Place, notices: list[str]) -> None:
        self.settings = settings
        self.place = place
        self.notices = notices
        self._found: DeckFiles | None = None
        self._collection: Collection | None = None
        self._skips: Skips | None = None  # of `_collection` (`tutor.held`)
        self._held: HeldBack | None = None
        self._told_held = False  # its notices were given

    def _deck_files(self) -> DeckFiles:
        """The deck files, found once a run (`tutor.deck.files.deck_files`)."""
        if self._found is None:
            found = deck_files(self.settings.deck_dirs)
            self.notices += [str(p) for p in found.problems]
            self._found = found
        return self._found

    def files(self) -> list[Path]:
        return self._deck_files().paths

    def fingerprint(self) -> str:
        """The deck files' sizes and times, to compare with the last sync's: what
        `deck_fingerprint` of `files` is, each file stat'ed now."""
        return self._deck_files().fingerprint()

    def scope(self) -> list[str]:
        """The deck files of this run, as the card table names them (resolved paths): only
        their cards are offered (`--decks DIR` studies those decks and leaves the rest be)."""
        return self._deck_files().resolved

    def collection(self) -> Collection:
        """Every deck, read and linted (the slow path: only when the decks changed)."""
        if self._collection is None:
            from tutor.deck.loader import load_collection

            collection = load_collection(self.files())
            # each card with an error is left out of study alone, with the cards that require it
            self._skips = skips_of(collection)
            self._tell_held(self._skips.notices())
            self._collection = collection
        return self._collection

    @property
    def read(self) -> bool:
        """The decks were read (`collection`): the slow path was taken."""
        return self._collection is not None

    def given(self, collection: Collection) -> None:
        """Use `collection` as the decks' reading (a benchmark reads them once a process)."""
        self._collection = collection

    def _tell_held(self, notices: Sequence[str]) -> None:
        """The notices of the cards left out of study, once a run."""
        if not self._told_held:
            self._told_held = True
            self.notices += notices

    @property
    def held_known(self) -> bool:
        """What the last sync kept out of study was read already."""
        return self._held is not None

    def held_back(self) -> frozenset[str]:
        """The cards left out of study by the decks' errors, as the last sync stored them
        (`tutor.held`): never offered until they are fixed."""
        if self._held is None:
            self.place.load()
            from tutor.store import queries as q

            with self.place.session() as session:
                self.stored_held(q.get_meta(session=session, key=META_HELD_BACK))
        assert self._held is not None
        return self._held.ids

    def stored_held(self, value: str | None) -> None:
        """What the last sync stored under `META_HELD_BACK`, and its notices, for this run."""
        self._held = HeldBack.decode(value)
        self._tell_held(self._held.notices)

    def held_value(self) -> str:
        """What a sync stores under `META_HELD_BACK` after `snapshots` ("" for none)."""
        return self._held.encode() if self._held and self._held != HeldBack() else ""

    def snapshots(self) -> list[CardSnapshot]:
        """The cards to sync. A card with an error is left out of study alone, with the cards
        that require it (`tutor.held`), and so are the cards of a file that cannot be read as a
        deck: they keep their rows as last synced, so a typo retires nothing and their progress
        waits for them; a new one joins once it is fixed. Sets what `held_back` says."""
        self.place.load()
        from tutor.store import queries as q
        from tutor.store.queries import CardSnapshot

        collection = self.collection()
        if self._skips is None:
            self._skips = skips_of(collection)
        out = self._skips.ids
        unreadable = {str(Path(p.path).resolve()) for p in self._skips.unreadable}
        seen: set[str] = set()
        snapshots: list[CardSnapshot] = []
        for deck in collection.decks:
            whole = proof_card_snapshot(deck)
            for snapshot in [*(card_snapshot(card, deck) for card in deck.cards), whole]:
                if snapshot is not None and snapshot.id not in seen:
                    seen.add(snapshot.id)
                    if snapshot.id not in out:
                        snapshots.append(snapshot)
        kept: list[CardSnapshot] = []
        if out or unreadable:
            with self.place.session() as session:
                stored = q.active_cards(session=session)
            kept = [
                CardSnapshot(
                    row.id,
                    row.deck_id,
                    row.path,
                    row.position,
                    row.content_hash,
                    tuple(row.requires.split(",")) if row.requires else (),
                    _stored_span(row),
                    row.reading,
                )
                for row in stored
                if row.id in out or (row.path in unreadable and row.id not in seen)
            ]
        held = out | {snapshot.id for snapshot in kept}
        self._held = HeldBack(frozenset(held), tuple(self._skips.notices()))
        return snapshots + kept

    def find_card(
        self,
        card_id: str,
        path: str | None = None,
        *,
        span: Span | None = None,
        position: int | None = None,
        reading: str | None = None,
    ) -> tuple[Card, Deck] | None:
        """A card and its deck: from its own file when the decks have not been read. With the
        `span` and `position` the last sync stored, from its `reading` (`tutor.deck.reading`)
        while its file is as this run found it, else from that part of the file and its head
        alone (`tutor.deck.parser.read_card`): then the deck's `cards` holds that card alone,
        as the sitting of a card of a deck (not a proof) needs no other. Whatever does not
        match (the file changed since, an error) reads the whole file, as without them."""
        if self._collection is None and path is not None:
            if span is not None and position is not None:
                if reading is not None and self._deck_files().unchanged(path):
                    read = decode_reading(reading, path, position, span)
                    if read is not None and read[0].id == card_id:
                        return read
                found = _card_at(card_id, path, span, position)
                if found is not None:
                    return found
            deck = _clean_deck(path)
            if deck is not None:
                for card in deck.cards:
                    if card.id == card_id:
                        return card, deck
        for deck in self.collection().decks:
            for card in deck.cards:
                if card.id == card_id:
                    return card, deck
        return None

    def find_proof(self, card_id: str, path: str | None = None) -> Deck | None:
        """The proof of a whole-proof card (`tutor.study.proof`), from its own file when the
        decks have not been read (None: no such proof, or too few steps to have one)."""
        proof_id = proof_of(card_id)
        if self._collection is None and path is not None:
            deck = _clean_deck(path)
            if deck is not None and _has_whole(deck, proof_id):
                return deck
        for deck in self.collection().decks:
            if _has_whole(deck, proof_id):
                return deck
        return None

    def find(
        self,
        card_id: str,
        path: str | None = None,
        *,
        span: Span | None = None,
        position: int | None = None,
        reading: str | None = None,
    ) -> tuple[Card, Deck] | None:
        """What a sitting of `card_id` shows: the card and its deck (`find_card`); for a
        whole-proof card, the proof's first step and the proof."""
        if not is_proof_card(card_id):
            return self.find_card(card_id, path, span=span, position=position, reading=reading)
        deck = self.find_proof(card_id, path)
        return None if deck is None else (deck.cards[0], deck)


def _clean_deck(path: str) -> Deck | None:
    """The deck of one file, if it reads without errors."""
    from tutor.deck.parser import read_deck_file

    deck, problems = read_deck_file(Path(path))
    if deck is None or any(p.severity is Severity.ERROR for p in problems):
        return None
    return deck


def _card_at(card_id: str, path: str, span: Span, position: int) -> tuple[Card, Deck] | None:
    """The card `card_id` read from its `span` of the file `path` and the file's head, if it
    is there and reads without errors (None: read the whole file)."""
    from tutor.deck.parser import read_card

    deck, problems = read_card(Path(path), span, position)
    if deck is None or any(p.severity is Severity.ERROR for p in problems):
        return None
    card = deck.cards[0]
    return (card, deck) if card.id == card_id else None


def _stored_span(row: CardRow) -> Span | None:
    """The span a card row keeps (None: none stored)."""
    head, start, end, line = row.span_head, row.span_start, row.span_end, row.span_line
    if head is None or start is None or end is None or line is None:
        return None
    return Span(head, start, end, line)


def _has_whole(deck: Deck, proof_id: str) -> bool:
    """`deck` is the proof `proof_id`, with steps enough to have a whole-proof card."""
    return deck.id == proof_id and deck.is_proof and len(deck.cards) >= MIN_STEPS
