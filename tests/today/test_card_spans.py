"""A card is shown from its span (#15): the sync stores where each card's text sits in its deck
file, and a sitting reads that part and the file's head alone, giving the card and deck the whole
file gives; a span the file no longer matches, a proof, or a row synced before spans read the
whole file, as before."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

import tutor.today.shelf as shelf_module
from tutor.config import Settings
from tutor.deck.model import Card, Deck, Span
from tutor.deck.parser import read_deck_file
from tutor.store import queries as q
from tutor.store.models import CardRow
from tutor.study.clock import ManualClock
from tutor.today import Desk

from .conftest import DECK, DeskFactory, desk_for

DECK_FIELDS = [f.name for f in fields(Deck) if f.name != "cards"]


def rows(desk: Desk) -> dict[str, CardRow]:
    with desk.session() as session:
        return {row.id: row for row in q.active_cards(session=session)}


def span_of(row: CardRow) -> Span | None:
    found = (row.span_head, row.span_start, row.span_end, row.span_line)
    return None if None in found else Span(*found)  # type: ignore[arg-type]


def whole(deck_dir: Path) -> Deck:
    deck, _ = read_deck_file((deck_dir / "mini.md").resolve())
    assert deck is not None
    return deck


@pytest.fixture
def no_whole_file(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The whole deck files the shelf reads to find a card (`Shelf.read` tells whether it read
    every deck)."""
    read: list[str] = []
    clean_deck = shelf_module._clean_deck

    def reading(path: str) -> Deck | None:
        read.append(path)
        return clean_deck(path)

    monkeypatch.setattr(shelf_module, "_clean_deck", reading)
    return read


def same(found: tuple[Card, Deck], card: Card, deck: Deck) -> None:
    assert found[0] == card
    assert {f: getattr(found[1], f) for f in DECK_FIELDS} == {
        f: getattr(deck, f) for f in DECK_FIELDS
    }


def test_the_sync_stores_each_cards_span(open_desk: DeskFactory, deck_dir: Path) -> None:
    desk = open_desk()
    stored = rows(desk)
    deck = whole(deck_dir)
    assert {card.id: card.span for card in deck.cards} == {
        card_id: span_of(row) for card_id, row in stored.items()
    }
    assert all(card.span is not None for card in deck.cards)


def test_a_sitting_reads_its_card_from_its_span(
    open_desk: DeskFactory, deck_dir: Path, clock: ManualClock, no_whole_file: list[str]
) -> None:
    open_desk()  # syncs: it reads every deck
    desk = open_desk()  # as the next start: the sync skipped
    deck = whole(deck_dir)
    sitting = desk.next_sitting()
    assert sitting is not None and sitting.card.id == "double"
    same((sitting.card, sitting.deck), deck.cards[0], deck)
    assert sitting.deck.cards == [deck.cards[0]]  # a deck's other cards are not read
    assert no_whole_file == [] and not desk.shelf.read
    # each card, through the store and through the quick start's reader
    for card in deck.cards:
        with desk.session() as session:
            place = q.card_place(session=session, card_id=card.id)
        assert place is not None and place.span == card.span
        found = Desk(desk.settings, clock=clock).shelf.find(
            card.id, place.path, span=place.span, position=place.position
        )
        assert found is not None
        same(found, card, deck)
    assert no_whole_file == []
    fresh = Desk(desk.settings, clock=clock)
    quick = fresh.quick_sitting()
    assert quick is not None and quick.card == deck.cards[0]
    assert no_whole_file == [] and not fresh.place.opened


def test_blank_lines_move_the_spans_without_updating_a_card(
    open_desk: DeskFactory,
    settings: Settings,
    clock: ManualClock,
    deck_dir: Path,
    no_whole_file: list[str],
) -> None:
    open_desk()
    path = deck_dir / "mini.md"
    path.write_text(DECK.replace("# Mini deck\n", "# Mini deck\n\n\n\n"), encoding="utf-8")
    with desk_for(settings, clock) as desk:
        report = desk.sync()
        assert not report.skipped  # the spans moved: written
        assert (report.added, report.updated, report.retired, report.revived) == ((),) * 4
        stored = rows(desk)
    deck = whole(deck_dir)
    assert {c.id: c.span for c in deck.cards} == {i: span_of(r) for i, r in stored.items()}
    sitting = open_desk().next_sitting()
    assert sitting is not None
    same((sitting.card, sitting.deck), deck.cards[0], deck)
    assert no_whole_file == []


def test_a_span_the_file_no_longer_matches_reads_the_whole_file(
    open_desk: DeskFactory, deck_dir: Path, no_whole_file: list[str]
) -> None:
    """The file edited after the sync: a card after the edit, or all after one in the head,
    are read from the whole file (the next start syncs); a card before it, from its span."""
    desk = open_desk()
    old = {card_id: span_of(row) for card_id, row in rows(desk).items()}
    path = deck_dir / "mini.md"
    edited = DECK.replace("Say what the square", "Say in words what the square")
    for text, wholes in [(edited, 2), (edited.replace("# Mini deck\n", "# Mini\n\nHi.\n"), 3)]:
        path.write_text(text, "utf-8")
        deck = whole(deck_dir)  # as the file is now
        shelf = Desk(desk.settings).shelf
        no_whole_file.clear()
        for n, card in enumerate(deck.cards):
            found = shelf.find(card.id, str(path.resolve()), span=old[card.id], position=n)
            assert found is not None
            same(found, card, deck)
        assert len(no_whole_file) == wholes


def test_a_card_with_an_error_keeps_its_span_as_last_synced(
    open_desk: DeskFactory, deck_dir: Path
) -> None:
    before = {card_id: span_of(row) for card_id, row in rows(open_desk()).items()}
    path = deck_dir / "mini.md"
    path.write_text(DECK.replace("$3x$\n", "").replace("Counting again.", "Again."), "utf-8")
    desk = open_desk()
    assert "triple" in desk.held_back()
    assert span_of(rows(desk)["triple"]) == before["triple"]


def test_proofs_and_rows_without_a_span_read_the_whole_file(
    settings: Settings, deck_dir: Path, open_desk: DeskFactory, no_whole_file: list[str]
) -> None:
    proof = Path(__file__).parents[2] / "proofs" / "variance-identity.md"
    text = proof.read_bytes()  # its prerequisites are not in this deck set: left out
    required = b"requires: [variance, linearity-of-expectation]\n"
    assert required in text
    (deck_dir / proof.name).write_bytes(text.replace(required, b""))
    desk = open_desk()
    stored = rows(desk)
    steps = [row for row in stored.values() if row.path.endswith(proof.name)]
    assert len(steps) > 2 and all(span_of(row) is None for row in steps)
    # a row synced before spans were stored: the whole file, as before
    with desk.session() as session:
        place = q.card_place(session=session, card_id="square")
    assert place is not None and place.span is not None
    found = Desk(desk.settings).shelf.find("square", place.path, position=place.position)
    assert found is not None and found[0].id == "square"
    assert no_whole_file == [place.path]
